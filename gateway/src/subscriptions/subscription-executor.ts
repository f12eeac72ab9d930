import { availableParallelism } from 'node:os';
import { type Caller, createLogger, type EventBus, type EventEnvelope } from '@tandem/platform';
import { type ExecutionArgs, type ExecutionResult, GraphQLError } from 'graphql';
import { EventHub } from './event-hub.js';
import { type DirectTarget, type FrameBatch, FrameWritePool } from './frame-write-pool.js';
import { planSubscription, type SubscriptionPlan, subscriptionRootField } from './selection-query.js';
import { SUBSCRIPTIONS, type SubscriptionSource } from './subscription-catalogue.js';
import { eventsFannedOut, eventToClientSeconds, fanoutSeconds, openSubscriptions, slowClientsDropped } from './subscription-metrics.js';

const log = createLogger('subscriptions');

export type QueryExecutor = (query: string, variables: Record<string, unknown>, caller: Caller) => Promise<ExecutionResult>;

/** The client's socket, as far as a subscription needs it: how far behind it is, how to write to it, and how to let it go. */
export interface SubscriberConnection {
  /** Bytes queued on the socket that the client has not taken yet. */
  bufferedAmount(): number;
  /** Closes the whole connection: the client cannot keep up. Idempotent. */
  drop(overflow: 'socket' | 'events'): void;
  /**
   * Writes one graphql-ws message made of `head` then `tail` (JSON text, already serialised) at once, without
   * waiting for the client; nothing once the socket is closing.
   */
  send(head: Buffer, tail: Buffer): void;
  /** The socket as a target for writes through its descriptor, when it has one: a fan-out then writes with two threads. */
  direct?: DirectTarget;
}

/** The contextValue graphql-ws hands to `subscribe` (see subscription-endpoint.ts). */
export interface SubscriptionContext {
  caller?: Caller;
  /** The id of the last event the client received (`extensions.lastEventId`), when it is resuming. */
  lastEventId?: string;
  connection?: SubscriberConnection;
  /** The graphql-ws operation id: with a connection, payloads are written to the socket directly under this id. */
  subscriptionId?: string;
}

export interface SubscriptionExecutorOptions {
  /** Events waiting for one subscriber (or, on sockets, for one shared resolution) before it counts as too slow. */
  maxBufferedEvents?: number;
  /** Bytes queued on a subscriber's socket before it counts as too slow. */
  maxSocketBufferBytes?: number;
  /** How long one fan-out writes before it lets the event loop run (other events, pings, requests). */
  fanoutSliceMs?: number;
  /** A helper thread that writes part of every large fan-out's frames (default on; never on a machine with one CPU). */
  fanoutHelperThread?: boolean;
}

export const DEFAULT_MAX_BUFFERED_EVENTS = 1000;
export const DEFAULT_MAX_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
const DEFAULT_FANOUT_SLICE_MS = 10;

export type SubscriptionExecutor = ((args: ExecutionArgs) => Promise<AsyncGenerator<ExecutionResult> | ExecutionResult>) & {
  readonly hub: EventHub;
  /** Subscriptions open on this executor (the hub routes one listener per shared resolution, not per subscription). */
  readonly openSubscriptions: number;
  /** Stops listening on the bus (open subscriptions get no further events). */
  close(): Promise<void>;
};

/** One resolved event, serialised at most once however many sockets it goes to. */
class PreparedPayload {
  private bytes?: Buffer;
  constructor(readonly result: ExecutionResult) {}
  /** `<payload JSON>}`: what follows a subscriber's `{"id":…,"type":"next","payload":` head. */
  get tail(): Buffer {
    this.bytes ??= Buffer.from(`${JSON.stringify(this.result)}}`);
    return this.bytes;
  }
}

/** One subscription in a shared resolution. */
abstract class Member {
  closed = false;
  /** Position in the group's member list (for O(1) removal). */
  index = -1;
  /** Events the group numbered before this member joined are not its own. */
  constructor(readonly fromSeq: number) {}
  /** Hands over one payload (into `batch`, when given, for sockets that take direct writes); false when nothing was delivered. */
  abstract deliver(payload: PreparedPayload, batch?: FrameBatch): boolean;
  /** The group cannot keep up (its resolutions fell maxBufferedEvents behind). */
  abstract overflow(): void;
}

/** A subscriber on a graphql-ws socket: the payload is written straight to the socket, framed under its operation id. */
class SocketMember extends Member {
  constructor(
    fromSeq: number,
    readonly connection: SubscriberConnection,
    /** `{"id":<id>,"type":"next","payload":` */
    readonly head: Buffer,
    private readonly maxSocketBufferBytes: number,
  ) {
    super(fromSeq);
  }
  deliver(payload: PreparedPayload, batch?: FrameBatch): boolean {
    // A socket that takes a direct write has nothing queued, so it cannot be over its bound: no need to ask.
    const direct = this.connection.direct;
    if (batch && direct && batch.add(direct, this.connection, this.head, payload.tail)) return true;
    // The socket is this client's bounded buffer: over the limit, the whole connection goes (the client reconnects and resyncs).
    if (this.connection.bufferedAmount() > this.maxSocketBufferBytes) {
      this.connection.drop('socket');
      return false;
    }
    this.connection.send(this.head, payload.tail);
    return true;
  }
  overflow(): void {
    this.connection.drop('events');
  }
}

/** A subscriber without a socket (in-process callers, tests): results queue here until it pulls them. */
class QueuedMember extends Member {
  readonly buffer: ExecutionResult[] = [];
  overflowed = false;
  wake?: () => void;
  constructor(
    fromSeq: number,
    private readonly maxBufferedEvents: number,
  ) {
    super(fromSeq);
  }
  deliver(payload: PreparedPayload): boolean {
    if (this.buffer.length >= this.maxBufferedEvents) {
      this.overflow();
      return false;
    }
    this.buffer.push(payload.result);
    this.wake?.();
    return true;
  }
  overflow(): void {
    this.overflowed = true;
    this.wake?.();
  }
}

/** Resolutions of one group running at once: a burst of events is resolved a few ahead, not all at once through the planner. */
const RESOLVE_AHEAD = 4;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Fan-outs to fewer subscribers than this are written by the event loop's thread alone. */
const SHARED_WRITE_MIN_MEMBERS = 64;

/**
 * Subscribers with the same selection, variables, tenant and permissions (and,
 * for per-recipient fields, the same user): one bus route, one resolution and
 * one serialisation per event, then one write per subscriber.
 */
class FanoutGroup {
  readonly members: Member[] = [];
  /** Events numbered as they arrive; up to RESOLVE_AHEAD resolve in parallel, deliveries keep the order. */
  private seq = 0;
  private readonly pending: { seq: number; event: EventEnvelope; result?: Promise<ExecutionResult | null> }[] = [];
  private draining = false;
  private disposed = false;
  private readonly unroute: () => void;

  constructor(
    hub: EventHub,
    private readonly source: SubscriptionSource,
    tenantId: string,
    /** Set for per-recipient fields: only this user's events are taken. */
    private readonly recipientId: string | undefined,
    private readonly resolve: (event: EventEnvelope) => Promise<ExecutionResult | null>,
    private readonly limits: { maxBufferedEvents: number; sliceMs: number },
    private readonly metrics: { fannedOut: { inc(n: number): void }; latency: { observe(seconds: number): void }; fanout: { observe(seconds: number): void } },
    private readonly onEmpty: () => void,
    /** The process's frame writer, for fan-outs large enough to share with its helper thread. */
    private readonly writes: () => FrameWritePool | undefined,
  ) {
    this.unroute = hub.subscribe(source.topic, tenantId, (event) => this.take(event));
  }

  /** The number the next event will get: a member joining now receives events from it on. */
  get nextSeq(): number {
    return this.seq;
  }

  add(member: Member): void {
    member.index = this.members.length;
    this.members.push(member);
    // The writer (and its helper thread) starts when a fan-out will need it, not during that fan-out: starting a thread takes tens of ms.
    if (this.members.length === SHARED_WRITE_MIN_MEMBERS) this.writes();
  }

  remove(member: Member): void {
    if (member.index < 0) return;
    const last = this.members.pop()!;
    if (last !== member) {
      this.members[member.index] = last;
      last.index = member.index;
    }
    member.index = -1;
    if (this.members.length === 0) this.dispose();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.unroute();
    this.pending.length = 0;
    this.onEmpty();
  }

  /** Queues the event; returns its resolution when that started at once (the bus may give it a head start). */
  private take(event: EventEnvelope): Promise<unknown> | undefined {
    if (this.disposed) return;
    // An event meant for one user (a notification) never reaches anyone else's resolution.
    if (this.recipientId !== undefined && this.source.recipient!(event.payload) !== this.recipientId) return;
    if (this.pending.length >= this.limits.maxBufferedEvents) {
      // The resolutions cannot keep up: every member is as far behind; let them all go (they reconnect and resync) rather than buffer without bound.
      log.warn({ topic: this.source.topic, pending: this.pending.length }, 'a shared subscription resolution fell too far behind');
      for (const member of this.members.slice()) member.overflow();
      return;
    }
    const entry: (typeof this.pending)[number] = { seq: this.seq++, event };
    this.pending.push(entry);
    this.resolveAhead();
    if (!this.draining) this.drain().catch((err) => log.error({ err }, 'a subscription fan-out failed'));
    return entry.result;
  }

  private resolveAhead(): void {
    const until = Math.min(this.pending.length, RESOLVE_AHEAD);
    for (let i = 0; i < until; i++) {
      const entry = this.pending[i]!;
      if (entry.result) continue;
      entry.result = this.resolve(entry.event);
      // Failures are logged where the result is awaited; never an unhandled rejection meanwhile.
      entry.result.catch(() => {});
    }
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.pending.length && !this.disposed) {
        const next = this.pending[0]!;
        let result: ExecutionResult | null = null;
        try {
          result = (await next.result) ?? null;
        } catch (err) {
          log.error({ err, eventId: next.event.id }, 'could not resolve a subscription payload');
        }
        if (this.disposed) return;
        this.pending.shift();
        this.resolveAhead();
        if (result) await this.fanOut(next.seq, next.event, new PreparedPayload(result));
      }
    } finally {
      this.draining = false;
    }
  }

  private async fanOut(seq: number, event: EventEnvelope, payload: PreparedPayload): Promise<void> {
    // A snapshot: members may come and go while the fan-out yields between slices.
    const members = this.members.slice();
    let delivered = 0;
    const started = performance.now();
    let sliceStart = started;
    const batch = members.length >= SHARED_WRITE_MIN_MEMBERS ? this.writes()?.begin() : undefined;
    for (let i = 0; i < members.length; i++) {
      const member = members[i]!;
      if (!member.closed && member.fromSeq <= seq && member.deliver(payload, batch)) delivered++;
      // One event's fan-out must not hold up the next event (or pings, or requests) for long: let the loop run between slices.
      if ((i & 127) === 127 && performance.now() - sliceStart > this.limits.sliceMs) {
        // Written before the loop runs: only while it waits may a batch's descriptors be trusted (frame-write-pool.ts).
        batch?.flush();
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    batch?.flush();
    if (delivered) {
      this.metrics.fanout.observe((performance.now() - started) / 1000);
      this.metrics.fannedOut.inc(delivered);
      this.metrics.latency.observe(Math.max(0, Date.now() - Date.parse(event.occurredAt)) / 1000);
    }
  }
}

/**
 * graphql-ws `subscribe` for the gateway: listens on the bus (once per
 * process, through the EventHub), keeps only the caller's tenant, and resolves
 * each event's payload through the gateway. Subscribers with the same
 * selection, tenant and permissions share one resolution per event, and on
 * sockets one serialisation: each client's `next` message is its operation id
 * spliced before the shared payload bytes, written without waiting. Every
 * payload carries `extensions: { eventId, occurredAt }`; a subscriber that
 * resumes with `lastEventId` gets `extensions.resync: true` first when it may
 * have missed events.
 */
export function createSubscriptionExecutor(
  source: EventBus | EventHub,
  executeQuery: QueryExecutor,
  options: SubscriptionExecutorOptions = {},
): SubscriptionExecutor {
  const hub = source instanceof EventHub ? source : new EventHub(source);
  const maxBufferedEvents = options.maxBufferedEvents ?? DEFAULT_MAX_BUFFERED_EVENTS;
  const maxSocketBufferBytes = options.maxSocketBufferBytes ?? DEFAULT_MAX_SOCKET_BUFFER_BYTES;
  const limits = { maxBufferedEvents, sliceMs: options.fanoutSliceMs ?? DEFAULT_FANOUT_SLICE_MS };
  // Started when a group first reaches SHARED_WRITE_MIN_MEMBERS, so a gateway without many subscribers has no extra thread.
  const helperThread = (options.fanoutHelperThread ?? true) && availableParallelism() > 1;
  let writePool: FrameWritePool | undefined;
  let closed = false;
  const writes = () => {
    if (!closed && !writePool) writePool = new FrameWritePool({ helperThread });
    return closed ? undefined : writePool;
  };
  // Share keys are long (the whole plan); the groups are found by them at subscribe time only.
  const groups = new Map<string, FanoutGroup>();
  let open = 0;

  const subscribe = async function subscribe(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
    const context = (args.contextValue ?? {}) as SubscriptionContext;
    const caller = context.caller;
    if (!caller || caller.kind === 'anonymous' || !caller.tenantId) {
      return { errors: [new GraphQLError('Sign in first', { extensions: { code: 'UNAUTHENTICATED' } })] };
    }
    const tenantId = caller.tenantId;
    let plan: SubscriptionPlan;
    let fieldName: string;
    try {
      fieldName = subscriptionRootField(args.document, args.operationName);
      const source = SUBSCRIPTIONS[fieldName];
      if (!source) return { errors: [new GraphQLError(`Subscription ${fieldName} is not available`, { extensions: { code: 'BAD_USER_INPUT' } })] };
      if (!caller.permissions.includes(source.permission)) {
        return { errors: [new GraphQLError(`Missing permission: ${source.permission}`, { extensions: { code: 'FORBIDDEN' } })] };
      }
      plan = planSubscription(args.document, args.operationName, source);
    } catch (err) {
      return { errors: [new GraphQLError((err as Error).message, { extensions: { code: 'BAD_USER_INPUT' } })] };
    }
    const source = SUBSCRIPTIONS[fieldName]!;
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    // "Identical" = same plan (root field, aliases, selection as written), same values for the variables
    // the entity query uses, same tenant, same permission set, and for per-recipient fields the same user. Per gateway process.
    const recipientId = source.recipient ? caller.id : undefined;
    const shareText = JSON.stringify([
      plan,
      plan.entityQuery?.usedVariables.map((v) => variables[v]),
      tenantId,
      [...caller.permissions].sort(),
      recipientId ?? null,
    ]);
    let group = groups.get(shareText);
    if (!group) {
      // The first subscriber's identity resolves for the whole group: everyone in it has the same tenant and permissions.
      const resolver = caller;
      const buildPayload = async (event: EventEnvelope): Promise<ExecutionResult | null> => {
        const values = source.fields(event.payload);
        const payload: Record<string, unknown> = {};
        for (const { alias, field } of plan.plainFields) payload[alias] = field === '__typename' ? source.typename : (values[field] ?? null);
        if (plan.entityQuery) {
          const vars: Record<string, unknown> = {};
          for (const v of plan.entityQuery.usedVariables) vars[v] = variables[v];
          for (const v of plan.entityQuery.idVariables) vars[v.variable] = source.entities![v.entity]!.id(event.payload);
          const result = await executeQuery(plan.entityQuery.text, vars, resolver);
          if (result.errors?.length && !result.data) return { errors: result.errors };
          for (const v of plan.entityQuery.idVariables) {
            const value = (result.data as Record<string, unknown> | null | undefined)?.[v.alias];
            // Not visible to this caller (or gone): the event is not theirs to see.
            if (value == null) return null;
            payload[v.alias] = value;
          }
        }
        return { data: { [plan.rootAlias]: payload }, extensions: { eventId: event.id, occurredAt: event.occurredAt } };
      };
      const created: FanoutGroup = new FanoutGroup(
        hub,
        source,
        tenantId,
        recipientId,
        buildPayload,
        limits,
        // Bound once per group: label lookups per delivery add up at thousands of subscribers.
        { fannedOut: eventsFannedOut.labels(fieldName), latency: eventToClientSeconds.labels(fieldName), fanout: fanoutSeconds.labels(fieldName) },
        () => {
          if (groups.get(shareText) === created) groups.delete(shareText);
        },
        writes,
      );
      group = created;
      groups.set(shareText, group);
    }

    // Checked in the same tick as the member joins, so no event falls between the check and its first delivery.
    let resync: { resync: true; missedEvents: number | null } | undefined;
    if (typeof context.lastEventId === 'string' && context.lastEventId) {
      const missed = hub.missedSince(tenantId, source.topic, context.lastEventId);
      if (!missed.known) resync = { resync: true, missedEvents: null };
      else if (missed.missed > 0) resync = { resync: true, missedEvents: missed.missed };
    }

    const joined = group;
    const direct = context.connection && typeof context.subscriptionId === 'string';
    const member: Member = direct
      ? new SocketMember(
          joined.nextSeq,
          context.connection!,
          Buffer.from(`{"id":${JSON.stringify(context.subscriptionId)},"type":"next","payload":`),
          maxSocketBufferBytes,
        )
      : new QueuedMember(joined.nextSeq, maxBufferedEvents);
    joined.add(member);
    openSubscriptions.inc();
    open++;
    let ended: (() => void) | undefined;
    const cleanup = () => {
      if (member.closed) return;
      member.closed = true;
      openSubscriptions.dec();
      open--;
      joined.remove(member);
      ended?.();
      if (member instanceof QueuedMember) {
        member.buffer.length = 0;
        member.wake?.();
      }
    };

    if (member instanceof SocketMember) {
      // The hint goes first, on the same path as the payloads (so nothing can overtake it).
      if (resync) member.connection.send(member.head, Buffer.from(`${JSON.stringify({ extensions: resync })}}`));
      // graphql-ws holds this open until the client completes or leaves; nothing is ever yielded through it.
      const over = new Promise<void>((resolve) => {
        ended = resolve;
      });
      const done = { done: true, value: undefined } as const;
      const parked: AsyncGenerator<ExecutionResult> = {
        next: async () => {
          await over;
          return done;
        },
        return: async () => {
          cleanup();
          return done;
        },
        throw: async (err) => {
          cleanup();
          throw err;
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
      return parked;
    }

    const queued = member as QueuedMember;
    async function* iterate(): AsyncGenerator<ExecutionResult> {
      try {
        if (resync) yield { extensions: resync };
        while (!queued.closed) {
          if (queued.overflowed) {
            slowClientsDropped.inc({ overflow: 'events' });
            yield { errors: [new GraphQLError('Subscriber too slow: events were dropped; resubscribe and refetch', { extensions: { code: 'RESYNC' } })] };
            return;
          }
          const result = queued.buffer.shift();
          if (!result) {
            await new Promise<void>((r) => {
              queued.wake = r;
            });
            queued.wake = undefined;
            continue;
          }
          yield result;
        }
      } finally {
        cleanup();
      }
    }
    // Wrapped so that a caller leaving before the first event still unsubscribes at once.
    const gen = iterate();
    const iterator: AsyncGenerator<ExecutionResult> = {
      next: () => gen.next(),
      return: async (value) => {
        cleanup();
        return gen.return(value);
      },
      throw: async (err) => {
        cleanup();
        return gen.throw(err);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return iterator;
  };
  const executor = Object.assign(subscribe, {
    hub,
    close: async () => {
      for (const group of [...groups.values()]) group.dispose();
      closed = true;
      await writePool?.close();
      await hub.close();
    },
  });
  // A live count (Object.assign would copy a getter's value once).
  Object.defineProperty(executor, 'openSubscriptions', { get: () => open, enumerable: true });
  return executor as SubscriptionExecutor;
}
