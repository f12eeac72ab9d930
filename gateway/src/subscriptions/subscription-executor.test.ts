import { type Caller, InProcessBus, newEnvelope, permissionsForRole, Topic } from '@tandem/platform';
import { type ExecutionResult, parse } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { createSubscriptionExecutor, type QueryExecutor } from './subscription-executor.js';

const analyst = (tenantId: string): Caller => ({ kind: 'user', id: `a-${tenantId}`, tenantId, role: 'analyst', permissions: permissionsForRole('analyst') });
const QUERY = parse('subscription { queueChanged { kind entry { id status } } }');
const changed = (tenantId: string, entryId: string, kind = 'ASSIGNED') =>
  newEnvelope('queue', Topic.QueueEntryChanged, tenantId, {
    kind,
    entryId,
    applicationId: 'app',
    status: 'ASSIGNED',
    assigneeId: null,
    priority: 1,
    slaDeadline: '',
    startedAt: null,
  });

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
    const event = changed('demo', 'e1');
    await bus.publish(event);
    expect((await next).value).toEqual({
      data: { queueChanged: { kind: 'ASSIGNED', entry: { id: 'e1', status: 'ASSIGNED' } } },
      extensions: { eventId: event.id, occurredAt: event.occurredAt },
    });
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
    const b = (await subscribe({
      schema: undefined as never,
      document: QUERY,
      contextValue: { caller: { ...analyst('demo'), id: 'another-analyst' } },
    })) as AsyncGenerator<ExecutionResult>;
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
    const it = (await subscribe({ schema: undefined as never, document: QUERY, contextValue: { caller: analyst('demo') } })) as AsyncGenerator<ExecutionResult>;
    expect(subscribe.hub.listenerCount).toBe(1);
    await it.return(undefined);
    expect(subscribe.hub.listenerCount).toBe(0);
    await bus.publish(changed('demo', 'after-leaving'));
    expect(exec).not.toHaveBeenCalled();
  });

  it('listens on the bus once per process however many subscriptions are open, and unlistens on close', async () => {
    const bus = new InProcessBus();
    const unlisten = vi.fn(async () => {});
    const listen = vi.spyOn(bus, 'listen').mockImplementation(() => unlisten);
    const subscribe = createSubscriptionExecutor(bus, vi.fn<QueryExecutor>());
    const subs = await Promise.all([1, 2, 3].map(() => subscribe({ schema: undefined as never, document: QUERY, contextValue: { caller: analyst('demo') } })));
    expect(listen).toHaveBeenCalledTimes(1);
    expect(subscribe.openSubscriptions).toBe(3);
    // Identical subscriptions share one route (and one resolution per event).
    expect(subscribe.hub.listenerCount).toBe(1);
    await subscribe.close();
    expect(unlisten).toHaveBeenCalledTimes(1);
    expect(subscribe.hub.listenerCount).toBe(0);
    for (const s of subs) await (s as AsyncGenerator<ExecutionResult>).return(undefined);
  });

  it('keeps the event order when a later event resolves first, and resolves a burst only a few events ahead', async () => {
    const bus = new InProcessBus();
    const waiting: { id: string; release: () => void }[] = [];
    const exec = vi.fn<QueryExecutor>(
      (_q, vars) =>
        new Promise((resolve) => {
          waiting.push({ id: String(vars.__id0), release: () => resolve({ data: { entry: { id: vars.__id0, status: 'PENDING' } } }) });
        }),
    );
    const it = await open(bus, exec, analyst('demo'));
    for (let i = 0; i < 10; i++) await bus.publish(changed('demo', `e${i}`));
    expect(waiting.map((w) => w.id)).toEqual(['e0', 'e1', 'e2', 'e3']); // not ten planner queries at once
    waiting[1]!.release(); // e1 is ready before e0
    const first = it.next();
    waiting[0]!.release();
    expect(((await first).value as ExecutionResult).data).toMatchObject({ queueChanged: { entry: { id: 'e0' } } });
    expect(((await it.next()).value as ExecutionResult).data).toMatchObject({ queueChanged: { entry: { id: 'e1' } } });
    await vi.waitFor(() => expect(waiting).toHaveLength(6)); // one more started as each of e0 and e1 left
    const ids: string[] = [];
    for (let i = 2; i < 10; i++) {
      for (const w of waiting) w.release(); // releasing one already resolved does nothing
      ids.push((((await it.next()).value as ExecutionResult).data as { queueChanged: { entry: { id: string } } }).queueChanged.entry.id);
    }
    expect(ids).toEqual(['e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9']);
    await it.return(undefined);
  });

  describe('resync hint for a client resuming with lastEventId', () => {
    const resuming = async (subscribe: ReturnType<typeof createSubscriptionExecutor>, lastEventId: string) =>
      (await subscribe({
        schema: undefined as never,
        document: QUERY,
        contextValue: { caller: analyst('demo'), lastEventId },
      })) as AsyncGenerator<ExecutionResult>;
    const exec: QueryExecutor = async (_q, vars) => ({ data: { entry: { id: vars.__id0, status: 'PENDING' } } });

    it('says resync when events of the field passed since lastEventId, and nothing when none did', async () => {
      const bus = new InProcessBus();
      const subscribe = createSubscriptionExecutor(bus, exec);
      const seen = changed('demo', 'e1');
      await bus.publish(seen);
      await bus.publish(changed('acme', 'not-ours')); // another tenant's events are not "missed"
      const upToDate = await resuming(subscribe, seen.id);
      const nextUpToDate = upToDate.next();
      await bus.publish(changed('demo', 'e2'));
      expect(((await nextUpToDate).value as ExecutionResult).extensions).toMatchObject({ eventId: expect.any(String) });
      expect(((await nextUpToDate).value as ExecutionResult).extensions?.resync).toBeUndefined();

      const behind = await resuming(subscribe, seen.id);
      expect((await behind.next()).value).toEqual({ extensions: { resync: true, missedEvents: 1 } });
      await upToDate.return(undefined);
      await behind.return(undefined);
      await subscribe.close();
    });

    it('says resync when the gateway never saw lastEventId (restarted, or too long ago)', async () => {
      const subscribe = createSubscriptionExecutor(new InProcessBus(), exec);
      const it = await resuming(subscribe, 'an-event-this-process-never-saw');
      expect((await it.next()).value).toEqual({ extensions: { resync: true, missedEvents: null } });
      await it.return(undefined);
      await subscribe.close();
    });
  });

  it('ends a subscription that falls too far behind with RESYNC when it has no socket to drop', async () => {
    const bus = new InProcessBus();
    const exec: QueryExecutor = async (_q, vars) => ({ data: { entry: { id: vars.__id0, status: 'PENDING' } } });
    const subscribe = createSubscriptionExecutor(bus, exec, { maxBufferedEvents: 2 });
    const it = (await subscribe({ schema: undefined as never, document: QUERY, contextValue: { caller: analyst('demo') } })) as AsyncGenerator<ExecutionResult>;
    for (let i = 0; i < 5; i++) await bus.publish(changed('demo', `e${i}`));
    const results: ExecutionResult[] = [];
    for await (const r of { [Symbol.asyncIterator]: () => it }) results.push(r);
    expect(results.at(-1)?.errors?.[0].extensions?.code).toBe('RESYNC');
    expect(subscribe.hub.listenerCount).toBe(0);
    await subscribe.close();
  });
});

describe('per-user subscriptions', () => {
  it('delivers a notification to its recipient only, even to same-role subscribers with the same selection', async () => {
    const bus = new InProcessBus();
    // The lookup itself would answer anyone: the gateway must not rely on it, nor share its result.
    const exec = vi.fn<QueryExecutor>(async (_q, vars) => ({ data: { notification: { id: vars.__id0 } } }));
    const subscribe = createSubscriptionExecutor(bus, exec);
    const document = parse('subscription { notificationReceived { notification { id } } }');
    const ana: Caller = { ...analyst('demo'), id: 'ana' };
    const ben: Caller = { ...analyst('demo'), id: 'ben' };
    const forAna = (await subscribe({ schema: undefined as never, document, contextValue: { caller: ana } })) as AsyncGenerator<ExecutionResult>;
    const forBen = (await subscribe({ schema: undefined as never, document, contextValue: { caller: ben } })) as AsyncGenerator<ExecutionResult>;
    const anaNext = forAna.next();
    let benGot = false;
    void forBen.next().then(() => {
      benGot = true;
    });
    await bus.publish(
      newEnvelope('queue', 'notification.created', 'demo', {
        notificationId: 'n1',
        recipientId: 'ana',
        kind: 'SLA_WARNING',
        entryId: null,
        applicationId: null,
        createdAt: '',
      }),
    );
    expect(((await anaNext).value as ExecutionResult).data).toEqual({ notificationReceived: { notification: { id: 'n1' } } });
    await new Promise((r) => setTimeout(r, 50));
    expect(benGot).toBe(false);
    expect(exec).toHaveBeenCalledTimes(1);
    expect(exec.mock.calls[0][2].id).toBe('ana');
    await forAna.return(undefined);
    await forBen.return(undefined);
  });
});
