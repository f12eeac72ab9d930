import { describe, expect, it } from 'vitest';
import { listConditions } from './queue-entry.repository.js';

const now = new Date('2026-11-22T12:00:00Z');
const OPEN = ['PENDING', 'ASSIGNED', 'IN_PROGRESS'] as const;

describe('listConditions', () => {
  it('always scopes by tenant first, binds every value, and says "not completed" for open-case lists (the partial indexes)', () => {
    const { sql, params } = listConditions('tenant-a', { statuses: OPEN, minPriority: 40 }, now);
    expect(sql).toBe("tenant_id = ? AND status IN (?, ?, ?) AND status <> 'COMPLETED' AND priority >= ?");
    expect(params).toEqual(['tenant-a', 'PENDING', 'ASSIGNED', 'IN_PROGRESS', 40]);
    expect(listConditions('tenant-a', { statuses: [...OPEN, 'COMPLETED'] }, now).sql).not.toContain("<> 'COMPLETED'");
  });

  it("leaves waiting cases out of someone's cases (they have no assignee), and matches nothing when only those were asked for", () => {
    const mine = listConditions('tenant-a', { statuses: OPEN, assigneeId: 'ana' }, now);
    expect(mine.params).toEqual(['tenant-a', 'ASSIGNED', 'IN_PROGRESS', 'ana']);
    expect(listConditions('tenant-a', { statuses: ['PENDING'], assigneeId: 'ana' }, now)).toEqual({ sql: 'FALSE', params: [] });
  });

  it('judges SLA state now for open cases, bands by their priority range, and filters on the paused clock', () => {
    const { sql, params } = listConditions(
      'tenant-a',
      { statuses: OPEN, slaStates: ['BREACHED'], priorityBands: ['CRITICAL'], waitingOnApplicant: false },
      now,
    );
    expect(sql).toContain('sla_paused_at IS NULL');
    expect(sql).toContain('coalesce(completed_at, sla_paused_at, ?::timestamptz) >= sla_deadline');
    expect(params).toContain(now);
    expect(params.filter((p) => typeof p === 'number')).toHaveLength(2);
  });
});
