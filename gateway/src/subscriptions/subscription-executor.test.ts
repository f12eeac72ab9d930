import { describe, expect, it, vi } from 'vitest';
import { parse, type ExecutionResult } from 'graphql';
import { InProcessBus, newEnvelope, permissionsForRole, Topic, type Caller } from '@tandem/platform';
import { createSubscriptionExecutor, type QueryExecutor } from './subscription-executor.js';

const analyst = (tenantId: string): Caller => ({ kind: 'user', id: `a-${tenantId}`, tenantId, role: 'analyst', permissions: permissionsForRole('analyst') });
const QUERY = parse('subscription { queueChanged { kind entry { id status } } }');
const changed = (tenantId: string, entryId: string, kind = 'ASSIGNED') =>
  newEnvelope('queue', Topic.QueueEntryChanged, tenantId, { kind, entryId, applicationId: 'app', status: 'ASSIGNED', assigneeId: null, priority: 1, slaDeadline: '', startedAt: null });

async function open(bus: InProcessBus, exec: QueryExecutor, caller: Caller) {
  const subscribe = createSubscriptionExecutor(bus, exec);
  const it = (await subscribe({ schema: undefined as never, document: QUERY, contextValue: { caller } })) as AsyncGenerator<ExecutionResult>;
  return it;
}

describe('gateway subscriptions from the bus', () => {
  it("resolves entity fields through the planner with the subscriber's identity, and only for their tenant", async () => {
    const bus = new InProcessBus();
    const exec = vi.fn<QueryExecutor>(async (_q, vars) => ({ data: { entry: { id: vars.__id0, status: 'ASSIGNED' } } }));
    const it = await open(bus, exec, analyst('demo'));
    const next = it.next();
    await bus.publish(changed('acme', 'other-tenant'));
    await bus.publish(changed('demo', 'e1'));
    expect((await next).value).toEqual({ data: { queueChanged: { kind: 'ASSIGNED', entry: { id: 'e1', status: 'ASSIGNED' } } } });
    expect(exec).toHaveBeenCalledTimes(1);
    expect(exec.mock.calls[0][2].tenantId).toBe('demo');
    await it.return(undefined);
  });

  it('skips events whose entity the subscriber may not see', async () => {
    const bus = new InProcessBus();
    const exec = vi.fn<QueryExecutor>(async (_q, vars) => ({ data: { entry: vars.__id0 === 'hidden' ? null : { id: vars.__id0, status: 'PENDING' } } }));
    const it = await open(bus, exec, analyst('demo'));
    const next = it.next();
    await bus.publish(changed('demo', 'hidden'));
    await bus.publish(changed('demo', 'visible'));
    expect(((await next).value as ExecutionResult).data).toMatchObject({ queueChanged: { entry: { id: 'visible' } } });
    await it.return(undefined);
  });

  it('resolves an event once for identical subscribers and fans the result out', async () => {
    const bus = new InProcessBus();
    const exec = vi.fn<QueryExecutor>(async (_q, vars) => ({ data: { entry: { id: vars.__id0, status: 'PENDING' } } }));
    // One executor per gateway process: identical subscriptions share its resolutions.
    const subscribe = createSubscriptionExecutor(bus, exec);
    const a = (await subscribe({ schema: undefined as never, document: QUERY, contextValue: { caller: analyst('demo') } })) as AsyncGenerator<ExecutionResult>;
    const b = (await subscribe({ schema: undefined as never, document: QUERY, contextValue: { caller: { ...analyst('demo'), id: 'another-analyst' } } })) as AsyncGenerator<ExecutionResult>;
    const [na, nb] = [a.next(), b.next()];
    await bus.publish(changed('demo', 'e9'));
    expect((await na).value).toEqual((await nb).value);
    expect(exec).toHaveBeenCalledTimes(1);
    await a.return(undefined);
    await b.return(undefined);
  });

  it('refuses callers without the permission, and unsubscribes from the bus when the client leaves', async () => {
    const bus = new InProcessBus();
    const exec = vi.fn<QueryExecutor>();
    const subscribe = createSubscriptionExecutor(bus, exec);
    const partner: Caller = { kind: 'client', id: 'p', tenantId: 'demo', role: 'api_consumer', permissions: permissionsForRole('api_consumer') };
    const refused = (await subscribe({ schema: undefined as never, document: QUERY, contextValue: { caller: partner } })) as ExecutionResult;
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const listen = vi.spyOn(bus, 'listen');
    const it = await open(bus, exec, analyst('demo'));
    const unlisten = listen.mock.results[0].value as () => Promise<void>;
    expect(unlisten).toBeTypeOf('function');
    await it.return(undefined);
    await bus.publish(changed('demo', 'after-leaving'));
    expect(exec).not.toHaveBeenCalled();
  });
});
