import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditRecord, AuditTopic, MASK, recordAudit, type AuditRecorded, type EventEnvelope } from '@tandem/platform';
import { startSubgraphForTest, testCaller } from '@tandem/platform/testing';
import { analyticsSubgraph } from '../src/server.js';

const TRAIL = /* GraphQL */ `
  query Trail($entityType: String, $entityId: ID, $actor: ID, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
    auditTrail(entityType: $entityType, entityId: $entityId, actor: $actor, from: $from, to: $to, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node {
        seq eventId source entityType entityId action actor { kind id } occurredAt recordedAt
        oldValue newValue changes { path kind from to } prevHash hash
      } }
    }
  }`;
const VERIFY = /* GraphQL */ `query { verifyAuditTrail { intact entriesChecked firstBrokenSeq } }`;

interface Node {
  seq: number;
  eventId: string;
  source: string;
  entityType: string;
  entityId: string;
  action: string;
  actor: { kind: string; id: string | null };
  occurredAt: string;
  oldValue: unknown;
  newValue: unknown;
  changes: { path: string; kind: string; from?: unknown; to?: unknown }[];
  prevHash: string;
  hash: string;
}
interface TrailData {
  auditTrail: { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Node }[] };
}
interface VerifyData {
  verifyAuditTrail: { intact: boolean; entriesChecked: number; firstBrokenSeq: number | null };
}

const TENANT_A = 'tenant-a';
const TENANT_B = 'tenant-b';
const admin = (tenantId: string) => testCaller('admin', tenantId);

/** An audit.recorded envelope as a subgraph's recordAudit would stage it. */
function audited(
  tenantId: string,
  change: { entityType?: string; entityId: string; action: string; actorId?: string; at: string; oldValue: unknown; newValue: unknown },
  source = 'applications',
): EventEnvelope<AuditRecorded> {
  const payload = auditRecord({
    actor: { kind: 'user', id: change.actorId ?? 'analyst-1' },
    entityType: change.entityType ?? 'Application',
    entityId: change.entityId,
    action: change.action,
    oldValue: change.oldValue,
    newValue: change.newValue,
    occurredAt: new Date(change.at),
  });
  return { id: randomUUID(), type: AuditTopic.AuditRecorded, tenantId, source, occurredAt: change.at, payload };
}

const app1 = randomUUID();
const app2 = randomUUID();
const applicant = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', nationalId: 'AB123456', housing: 'RENT' };
const tenantAEvents = [
  audited(TENANT_A, { entityId: app1, action: 'SUBMITTED', actorId: 'partner-1', at: '2025-03-01T10:00:00.000Z', oldValue: null, newValue: { status: 'PENDING', applicant, loan: { amount: 5000 } } }),
  audited(TENANT_A, { entityId: app2, action: 'SUBMITTED', actorId: 'partner-1', at: '2025-03-01T11:00:00.000Z', oldValue: null, newValue: { status: 'PENDING', applicant, loan: { amount: 7000 } } }),
  audited(TENANT_A, { entityId: app1, action: 'STATUS_CHANGED', actorId: 'analyst-1', at: '2025-03-02T09:00:00.000Z', oldValue: { status: 'PENDING' }, newValue: { status: 'REVIEW' } }),
  audited(TENANT_A, { entityId: app1, action: 'CONTACT_CHANGED', actorId: 'analyst-2', at: '2025-03-03T09:00:00.000Z', oldValue: { applicant }, newValue: { applicant: { ...applicant, email: 'ada@lovelace.org' } } }),
  audited(TENANT_A, { entityType: 'Decision', entityId: randomUUID(), action: 'DECIDED', actorId: 'analyst-1', at: '2025-03-04T09:00:00.000Z', oldValue: null, newValue: { outcome: 'APPROVED' } }, 'decisions'),
];
const tenantBEvents = [
  audited(TENANT_B, { entityId: app1, action: 'SUBMITTED', actorId: 'partner-b', at: '2025-03-01T10:30:00.000Z', oldValue: null, newValue: { status: 'PENDING' } }),
];

describe('analytics subgraph: the audit trail', () => {
  let sg: Awaited<ReturnType<typeof startSubgraphForTest>>;
  const trail = async (tenantId: string, vars: Record<string, unknown> = {}) => {
    const { body } = await sg.call<TrailData>(admin(tenantId), TRAIL, vars);
    expect(body.errors).toBeUndefined();
    return body.data!.auditTrail;
  };
  const verify = async (tenantId: string) => {
    const { body } = await sg.call<VerifyData>(admin(tenantId), VERIFY);
    expect(body.errors).toBeUndefined();
    return body.data!.verifyAuditTrail;
  };
  const sql = (query: string, params: unknown[] = []) => sg.orm.em.fork().execute(query, params);
  const table = () => `"${sg.orm.config.get('schema')}".audit_trail`;

  beforeAll(async () => {
    sg = await startSubgraphForTest(analyticsSubgraph, inject('databaseUrl'));
    for (const [i, e] of tenantAEvents.entries()) {
      await sg.bus.publish(e);
      if (tenantBEvents[i]) await sg.bus.publish(tenantBEvents[i]);
    }
  });
  afterAll(async () => sg?.close());

  it('serves the trail newest first, with actor, time, masked values and diff, chained from the genesis hash', async () => {
    const page = await trail(TENANT_A);
    expect(page.totalCount).toBe(5);
    expect(page.edges.map((e) => e.node.seq)).toEqual([5, 4, 3, 2, 1]);
    const [first] = page.edges.slice(-1).map((e) => e.node);
    expect(first).toMatchObject({
      seq: 1,
      eventId: tenantAEvents[0].id,
      source: 'applications',
      entityType: 'Application',
      entityId: app1,
      action: 'SUBMITTED',
      actor: { kind: 'user', id: 'partner-1' },
      occurredAt: '2025-03-01T10:00:00.000Z',
      oldValue: null,
      newValue: { status: 'PENDING', applicant: { firstName: MASK, lastName: MASK, email: MASK, nationalId: MASK, housing: 'RENT' }, loan: { amount: 5000 } },
      prevHash: '0'.repeat(64),
    });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    // Each entry points back to the one before it.
    const nodes = page.edges.map((e) => e.node).reverse();
    for (let i = 1; i < nodes.length; i++) expect(nodes[i].prevHash).toBe(nodes[i - 1].hash);
    // A changed email is listed as changed, with both sides masked; nothing personal reaches the trail.
    expect(nodes[3].changes).toEqual([{ path: 'applicant.email', kind: 'CHANGED', from: MASK, to: MASK }]);
    expect(nodes[2].changes).toEqual([{ path: 'status', kind: 'CHANGED', from: 'PENDING', to: 'REVIEW' }]);
    expect(JSON.stringify(page)).not.toMatch(/Ada|Lovelace|ada@|AB123456/);
  });

  it('filters by entity, actor and time window [from, to), and pages with cursors', async () => {
    const ofApp1 = await trail(TENANT_A, { entityType: 'Application', entityId: app1 });
    expect(ofApp1.edges.map((e) => e.node.action)).toEqual(['CONTACT_CHANGED', 'STATUS_CHANGED', 'SUBMITTED']);
    const byAnalyst1 = await trail(TENANT_A, { actor: 'analyst-1' });
    expect(byAnalyst1.edges.map((e) => e.node.seq)).toEqual([5, 3]);
    const decisions = await trail(TENANT_A, { entityType: 'Decision' });
    expect(decisions.edges.map((e) => e.node.source)).toEqual(['decisions']);
    const window = await trail(TENANT_A, { from: '2025-03-01T11:00:00.000Z', to: '2025-03-03T09:00:00.000Z' });
    expect(window.edges.map((e) => e.node.seq)).toEqual([3, 2]);

    const p1 = await trail(TENANT_A, { first: 2 });
    expect(p1).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true, hasPreviousPage: false } });
    expect(p1.edges.map((e) => e.node.seq)).toEqual([5, 4]);
    const p2 = await trail(TENANT_A, { first: 2, after: p1.pageInfo.endCursor });
    expect(p2.edges.map((e) => e.node.seq)).toEqual([3, 2]);
    const p3 = await trail(TENANT_A, { first: 2, after: p2.pageInfo.endCursor });
    expect(p3).toMatchObject({ pageInfo: { hasNextPage: false, hasPreviousPage: true } });
    expect(p3.edges.map((e) => e.node.seq)).toEqual([1]);
  });

  it('proves an untouched chain intact', async () => {
    expect(await verify(TENANT_A)).toEqual({ intact: true, entriesChecked: 5, firstBrokenSeq: null });
    expect(await verify('tenant-without-trail')).toEqual({ intact: true, entriesChecked: 0, firstBrokenSeq: null });
  });

  it('keeps tenants apart: each tenant has its own chain and sees only its own entries', async () => {
    const b = await trail(TENANT_B);
    expect(b.totalCount).toBe(1);
    expect(b.edges[0].node).toMatchObject({ seq: 1, entityId: app1, actor: { id: 'partner-b' }, prevHash: '0'.repeat(64) });
    expect((await trail(TENANT_B, { entityId: app1 })).totalCount).toBe(1);
    expect(await verify(TENANT_B)).toEqual({ intact: true, entriesChecked: 1, firstBrokenSeq: null });
  });

  it('masks PII even when a publisher staged the event without recordAudit', async () => {
    const raw: EventEnvelope<AuditRecorded> = {
      id: randomUUID(), type: AuditTopic.AuditRecorded, tenantId: 'tenant-raw', source: 'identity', occurredAt: '2025-03-05T00:00:00.000Z',
      payload: {
        entityType: 'User', entityId: 'u-9', action: 'EMAIL_CHANGED', actor: { kind: 'user', id: 'admin-1' }, occurredAt: '2025-03-05T00:00:00.000Z',
        oldValue: { email: 'old@x.io', role: 'analyst' }, newValue: { email: 'new@x.io', role: 'analyst' },
        changes: [{ path: 'email', kind: 'CHANGED', from: 'old@x.io', to: 'new@x.io' }],
      },
    };
    await sg.bus.publish(raw);
    const [entry] = (await trail('tenant-raw')).edges.map((e) => e.node);
    expect(entry).toMatchObject({ oldValue: { email: MASK, role: 'analyst' }, newValue: { email: MASK }, changes: [{ path: 'email', kind: 'CHANGED', from: MASK, to: MASK }] });
    expect(await verify('tenant-raw')).toMatchObject({ intact: true, entriesChecked: 1 });
  });

  it('records each event once, however often it is delivered', async () => {
    const event = audited('tenant-redelivery', { entityId: app1, action: 'SUBMITTED', at: '2025-03-05T00:00:00.000Z', oldValue: null, newValue: { status: 'PENDING' } });
    await Promise.all([sg.bus.publish(event), sg.bus.publish(event)]);
    await sg.bus.publish(event);
    expect((await trail('tenant-redelivery')).totalCount).toBe(1);
  });

  it('keeps one unbroken chain under 40 concurrent appends to one tenant', async () => {
    const tenant = 'tenant-concurrent';
    const events = Array.from({ length: 40 }, (_, i) =>
      audited(tenant, { entityId: randomUUID(), action: 'SUBMITTED', at: new Date(Date.UTC(2025, 2, 1, 0, 0, i)).toISOString(), oldValue: null, newValue: { n: i } }),
    );
    // Each publish runs its consumer in its own transaction, all at once.
    await Promise.all(events.map((e) => sg.bus.publish(e)));
    const rows = (await sql(`SELECT seq, prev_hash, hash FROM ${table()} WHERE tenant_id = ? ORDER BY seq`, [tenant])) as { seq: string; prev_hash: string; hash: string }[];
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(40); // no two entries share a predecessor: no fork
    expect(await verify(tenant)).toEqual({ intact: true, entriesChecked: 40, firstBrokenSeq: null });
  });

  it('appends a batch of interleaved tenants in order, each once, beside single appends to the same chains', async () => {
    const [x, y] = ['tenant-batch-x', 'tenant-batch-y'];
    const at = (i: number) => new Date(Date.UTC(2025, 3, 1, 0, 0, i)).toISOString();
    const batch = Array.from({ length: 30 }, (_, i) =>
      audited(i % 3 === 0 ? y : x, { entityId: randomUUID(), action: 'SUBMITTED', at: at(i), oldValue: null, newValue: { n: i } }),
    );
    const singles = Array.from({ length: 6 }, (_, i) =>
      audited(i % 2 ? x : y, { entityId: randomUUID(), action: 'REVIEWED', at: at(100 + i), oldValue: null, newValue: { single: i } }),
    );
    // One relay batch (whose audit events the consumer appends at once) with an event delivered twice inside it, and single events racing it.
    const [delivery] = await Promise.all([
      sg.bus.publishBatch([...batch.slice(0, 20), batch[4]!, ...batch.slice(20)] as unknown as EventEnvelope[]),
      ...singles.map((e) => sg.bus.publish(e)),
    ]);
    expect(delivery.error).toBeUndefined();
    for (const tenant of [x, y]) {
      const rows = (await sql(`SELECT seq, event_id FROM ${table()} WHERE tenant_id = ? ORDER BY seq`, [tenant])) as { seq: string; event_id: string }[];
      const expected = [...batch, ...singles].filter((e) => e.tenantId === tenant);
      expect(rows.map((r) => Number(r.seq))).toEqual(expected.map((_, i) => i + 1));
      expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(expected.map((e) => e.id)));
      // The batch's order is kept within the tenant's chain, wherever the singles fell.
      const fromBatch = new Set(batch.map((e) => e.id));
      expect(rows.filter((r) => fromBatch.has(r.event_id)).map((r) => r.event_id)).toEqual(batch.filter((e) => e.tenantId === tenant).map((e) => e.id));
      expect(await verify(tenant)).toEqual({ intact: true, entriesChecked: expected.length, firstBrokenSeq: null });
    }
  });

  it('records what a subgraph stages with recordAudit in its own transaction, once the transaction commits', async () => {
    const tenant = 'tenant-outbox';
    const entityId = randomUUID();
    await sg.orm.em.fork().transactional(async (em) => {
      recordAudit(em, {
        source: 'analytics', tenantId: tenant, actor: { kind: 'system', id: 'test' }, entityType: 'Report', entityId,
        action: 'CREATED', oldValue: null, newValue: { owner: { email: 'o@x.io' }, title: 'Q1' },
      });
    });
    await expect.poll(async () => (await trail(tenant)).totalCount).toBe(1);
    expect((await trail(tenant)).edges[0].node).toMatchObject({ entityId, actor: { kind: 'system', id: 'test' }, newValue: { owner: { email: MASK }, title: 'Q1' } });
    // A rolled-back change leaves no entry.
    await expect(
      sg.orm.em.fork().transactional(async (em) => {
        recordAudit(em, { source: 'analytics', tenantId: tenant, actor: { kind: 'system', id: 'test' }, entityType: 'Report', entityId, action: 'DELETED', oldValue: { title: 'Q1' }, newValue: null });
        await em.flush();
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await new Promise((r) => setTimeout(r, 300));
    expect((await trail(tenant)).totalCount).toBe(1);
  });

  it('refuses UPDATE, DELETE and TRUNCATE in PostgreSQL', async () => {
    await expect(sql(`UPDATE ${table()} SET action = 'X' WHERE tenant_id = ?`, [TENANT_A])).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM ${table()} WHERE tenant_id = ?`, [TENANT_A])).rejects.toThrow(/append-only/);
    await expect(sql(`TRUNCATE ${table()}`)).rejects.toThrow(/append-only/);
    expect(await verify(TENANT_A)).toMatchObject({ intact: true, entriesChecked: 5 });
  });

  it('detects an edited row at its seq when the guard is bypassed, and leaves other tenants intact', async () => {
    const tenant = 'tenant-tampered';
    for (let i = 1; i <= 6; i++) {
      await sg.bus.publish(audited(tenant, { entityId: app1, action: `STEP_${i}`, at: `2025-03-0${i}T00:00:00.000Z`, oldValue: { step: i - 1 }, newValue: { step: i } }));
    }
    expect(await verify(tenant)).toEqual({ intact: true, entriesChecked: 6, firstBrokenSeq: null });
    // Someone with the power to drop the guard rewrites history, then restores the guard.
    await sql(`ALTER TABLE ${table()} DISABLE TRIGGER audit_trail_append_only`);
    try {
      await sql(`UPDATE ${table()} SET new_value = '{"step": 99}'::jsonb WHERE tenant_id = ? AND seq = 4`, [tenant]);
    } finally {
      await sql(`ALTER TABLE ${table()} ENABLE TRIGGER audit_trail_append_only`);
    }
    expect(await verify(tenant)).toEqual({ intact: false, entriesChecked: 6, firstBrokenSeq: 4 });
    expect(await verify(TENANT_A)).toEqual({ intact: true, entriesChecked: 5, firstBrokenSeq: null });

    // Removing an entry (and re-linking nothing) breaks the chain at the missing seq.
    const removed = 'tenant-removed';
    for (let i = 1; i <= 3; i++) {
      await sg.bus.publish(audited(removed, { entityId: app2, action: `STEP_${i}`, at: `2025-03-0${i}T00:00:00.000Z`, oldValue: null, newValue: { step: i } }));
    }
    await sql(`ALTER TABLE ${table()} DISABLE TRIGGER audit_trail_append_only`);
    try {
      await sql(`DELETE FROM ${table()} WHERE tenant_id = ? AND seq = 2`, [removed]);
    } finally {
      await sql(`ALTER TABLE ${table()} ENABLE TRIGGER audit_trail_append_only`);
    }
    expect(await verify(removed)).toEqual({ intact: false, entriesChecked: 2, firstBrokenSeq: 2 });
  });

  it('rejects a reversed window, an oversized page and a forged cursor with BAD_USER_INPUT', async () => {
    for (const vars of [
      { from: '2025-03-02T00:00:00.000Z', to: '2025-03-01T00:00:00.000Z' },
      { first: 101 },
      { after: 'not-a-cursor' },
      { from: 'yesterday' },
    ]) {
      const { body } = await sg.call(admin(TENANT_A), TRAIL, vars);
      expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('requires audit:view: analysts and senior analysts are refused, admins served, anonymous callers turned away', async () => {
    for (const role of ['analyst', 'senior_analyst', 'readonly', 'api_consumer'] as const) {
      for (const query of [TRAIL, VERIFY]) {
        const { body } = await sg.call(testCaller(role, TENANT_A), query);
        expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
        expect(body.data).toBeNull();
      }
    }
    expect((await trail(TENANT_A)).totalCount).toBe(5);
    const anonymous = await sg.call(null, VERIFY);
    expect(anonymous.status).toBe(401);
  });
});
