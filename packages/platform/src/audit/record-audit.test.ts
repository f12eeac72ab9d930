import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { AuditTopic } from '../events/topics.js';
import { auditRecord, recordAudit } from './record-audit.js';
import { MASK } from './pii.js';

const before = { status: 'PENDING', applicant: { firstName: 'Ada', email: 'ada@example.com', housing: 'RENT' }, submittedAt: new Date('2025-03-01T10:00:00Z') };
const after = { ...before, status: 'SCORING', applicant: { ...before.applicant, email: 'ada@lovelace.org' } };

describe('auditRecord', () => {
  it('masks old and new values and diffs the real ones', () => {
    const record = auditRecord({
      actor: { kind: 'user', id: 'u-1' },
      entityType: 'Application',
      entityId: 'a-1',
      action: 'STATUS_CHANGED',
      oldValue: before,
      newValue: after,
      occurredAt: new Date('2025-03-01T10:05:00Z'),
    });
    expect(record).toEqual({
      entityType: 'Application',
      entityId: 'a-1',
      action: 'STATUS_CHANGED',
      actor: { kind: 'user', id: 'u-1' },
      occurredAt: '2025-03-01T10:05:00.000Z',
      oldValue: { status: 'PENDING', applicant: { firstName: MASK, email: MASK, housing: 'RENT' }, submittedAt: '2025-03-01T10:00:00.000Z' },
      newValue: { status: 'SCORING', applicant: { firstName: MASK, email: MASK, housing: 'RENT' }, submittedAt: '2025-03-01T10:00:00.000Z' },
      changes: [
        { path: 'applicant.email', kind: 'CHANGED', from: MASK, to: MASK },
        { path: 'status', kind: 'CHANGED', from: 'PENDING', to: 'SCORING' },
      ],
    });
    expect(JSON.stringify(record)).not.toMatch(/ada@|Ada/);
  });

  it('records a creation with a null old value and an anonymous actor id as null', () => {
    const record = auditRecord({ actor: { kind: 'system' }, entityType: 'X', entityId: '1', action: 'CREATED', oldValue: null, newValue: { a: 1 } });
    expect(record.oldValue).toBeNull();
    expect(record.actor).toEqual({ kind: 'system', id: null });
    expect(record.changes).toEqual([{ path: 'a', kind: 'ADDED', to: 1 }]);
    expect(Date.parse(record.occurredAt)).not.toBeNaN();
  });
});

describe('recordAudit', () => {
  it('stages an audit.recorded event in the outbox of the given entity manager', () => {
    const staged: Record<string, unknown>[] = [];
    // Outside a transaction the event is an entity of the next flush (in one, outboxStaging writes it: test/outbox-staging.test.ts).
    const em = {
      getContext: () => em,
      isInTransaction: () => false,
      create: (_: unknown, data: Record<string, unknown>) => data,
      persist: (row: Record<string, unknown>) => staged.push(row),
    };
    const envelope = recordAudit(em as unknown as EntityManager, {
      source: 'applications', tenantId: 't-1', actor: { kind: 'client', id: 'partner' }, entityType: 'Application', entityId: 'a-1',
      action: 'SUBMITTED', oldValue: null, newValue: after, requestId: 'r-1',
    });
    expect(envelope.type).toBe(AuditTopic.AuditRecorded);
    expect(staged).toHaveLength(1);
    expect(staged[0]).toMatchObject({ id: envelope.id, type: 'audit.recorded', tenantId: 't-1', source: 'applications', requestId: 'r-1' });
    expect(JSON.stringify(staged[0].payload)).not.toContain('lovelace');
  });
});
