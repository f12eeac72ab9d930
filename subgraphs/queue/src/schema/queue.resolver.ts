import { badInput, loader, Permission, pageWindow, type SubgraphContext, tenantOf, toConnection, unauthenticated } from '@tandem/platform';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AnalystRepository } from '../data/analyst.repository.js';
import { type MoveResult, QueueEntryRepository, type QueueListFilter } from '../data/queue-entry.repository.js';
import { PRIORITY_BANDS, priorityBandOf } from '../domain/priority.js';
import { OPEN_STATUSES, type QueueActor } from '../domain/queue-transitions.js';
import { slaState } from '../domain/sla-clock.js';
import { queueEntryChangedStager } from '../events/queue-events.js';
import { AnalystAvailability } from './notification.types.js';
import { entryNotFound, refusalError, toQueueEntry } from './queue-entry.mapper.js';
import {
  ApplicationRef,
  PriorityBand,
  QueueCaseMove,
  type QueueChangeKind,
  QueueEntry,
  QueueEntryConnection,
  type QueueEntryStatus,
  QueueOrder,
  QueueSummary,
  SlaState,
  UserRef,
} from './queue-entry.types.js';
import { QueueFilter } from './queue-filter.input.js';

export const queueEntryLoader = (ctx: SubgraphContext) => loader(ctx, 'queueEntry', () => new QueueEntryRepository(ctx.em).loader(tenantOf(ctx)));

export const queueEntryByApplicationLoader = (ctx: SubgraphContext) =>
  loader(ctx, 'queueEntryByApplication', () => new QueueEntryRepository(ctx.em).byApplicationLoader(tenantOf(ctx)));

/** The signed-in user as the domain sees them. */
export function actorOf(ctx: SubgraphContext): QueueActor {
  if (!ctx.caller.id) throw unauthenticated();
  return { id: ctx.caller.id, permissions: ctx.caller.permissions };
}

function entryOrThrow(result: MoveResult, entryId: string): QueueEntry {
  if (result.outcome === 'not_found') throw entryNotFound(entryId);
  if (result.outcome === 'refused') throw refusalError(result.refusal);
  return toQueueEntry(result.entry);
}

@Resolver(() => QueueEntry)
export class QueueEntryResolver {
  @Authorized(Permission.QueueView)
  @Query(() => QueueEntryConnection, {
    description: 'Review cases of your tenant; open ones by highest priority unless filtered or ordered otherwise. Requires queue:view.',
  })
  async reviewQueue(
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => QueueFilter, { nullable: true }) filter?: QueueFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('orderBy', () => QueueOrder, { nullable: true }) orderBy?: QueueOrder | null,
  ) {
    const tenantId = tenantOf(ctx);
    const { limit, offset } = pageWindow(first, after);
    const listFilter: QueueListFilter = { statuses: filter?.status?.length ? filter.status : OPEN_STATUSES };
    if (filter?.mine) {
      const me = actorOf(ctx).id;
      if (filter.assigneeId && filter.assigneeId !== me) throw badInput('Use either mine or an assigneeId other than yours, not both');
      listFilter.assigneeId = me;
    } else if (filter?.assigneeId) {
      listFilter.assigneeId = filter.assigneeId;
    }
    if (filter?.slaState?.length) listFilter.slaStates = filter.slaState;
    if (filter?.priorityBand?.length) listFilter.priorityBands = filter.priorityBand;
    if (filter?.minPriority !== undefined && filter.minPriority !== null) {
      if (!Number.isInteger(filter.minPriority) || filter.minPriority < 0 || filter.minPriority > 100) throw badInput('minPriority must be 0–100');
      listFilter.minPriority = filter.minPriority;
    }
    if (filter?.waitingOnApplicant !== undefined && filter.waitingOnApplicant !== null) listFilter.waitingOnApplicant = filter.waitingOnApplicant;
    const { items, total } = await new QueueEntryRepository(ctx.em).list(tenantId, listFilter, orderBy ?? QueueOrder.PRIORITY_DESC, limit, offset, new Date());
    return toConnection(items.map(toQueueEntry), total, offset);
  }

  @Authorized(Permission.QueueView)
  @Query(() => QueueSummary, { description: "Counts of your tenant's open cases. Requires queue:view." })
  async queueSummary(@Ctx() ctx: SubgraphContext): Promise<QueueSummary> {
    const counts = await new QueueEntryRepository(ctx.em).summary(tenantOf(ctx), new Date());
    const bands = Object.keys(PRIORITY_BANDS) as PriorityBand[];
    return { ...counts, byPriorityBand: bands.map((band) => ({ band, count: counts.byPriorityBand[band] })) };
  }

  @Authorized(Permission.QueueView)
  @Query(() => QueueEntry, { nullable: true, description: 'One case of your tenant. Requires queue:view.' })
  async queueEntry(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<QueueEntry | null> {
    const record = await queueEntryLoader(ctx).load(id);
    return record ? toQueueEntry(record) : null;
  }

  @Authorized(Permission.QueueView)
  @Mutation(() => QueueEntry, {
    description:
      'Assign a pending case. Without analystId you take it yourself (needs decision:create); giving it to someone else needs queue:assign. ' +
      'An analyst holds at most 5 active cases. CONFLICT when someone already has it.',
  })
  async assignCase(
    @Arg('entryId', () => ID) entryId: string,
    @Ctx() ctx: SubgraphContext,
    @Arg('analystId', () => ID, { nullable: true }) analystId?: string | null,
  ): Promise<QueueEntry> {
    const actor = actorOf(ctx);
    if (analystId !== undefined && analystId !== null && !analystId.trim()) throw badInput('analystId must not be empty');
    const result = await new QueueEntryRepository(ctx.em).assign(
      tenantOf(ctx),
      entryId,
      actor,
      analystId ?? actor.id,
      new Date(),
      queueEntryChangedStager(ctx.requestId),
      ctx.requestId,
    );
    if (result.outcome === 'moved') ctx.log.info({ entryId, assigneeId: result.entry.assigneeId }, 'case assigned');
    return entryOrThrow(result, entryId);
  }

  @Authorized(Permission.QueueView)
  @Mutation(() => QueueEntry, { description: 'Start reviewing a case assigned to you.' })
  async startReview(@Arg('entryId', () => ID) entryId: string, @Ctx() ctx: SubgraphContext): Promise<QueueEntry> {
    const result = await new QueueEntryRepository(ctx.em).start(tenantOf(ctx), entryId, actorOf(ctx), new Date(), queueEntryChangedStager(ctx.requestId));
    return entryOrThrow(result, entryId);
  }

  @Authorized(Permission.QueueView)
  @Mutation(() => QueueEntry, {
    description: 'Put a case assigned to you back in the queue, with a reason (5 characters or more); its priority is recomputed.',
  })
  async releaseCase(@Arg('entryId', () => ID) entryId: string, @Arg('reason') reason: string, @Ctx() ctx: SubgraphContext): Promise<QueueEntry> {
    const result = await new QueueEntryRepository(ctx.em).release(
      tenantOf(ctx),
      entryId,
      actorOf(ctx),
      reason,
      new Date(),
      queueEntryChangedStager(ctx.requestId),
    );
    if (result.outcome === 'moved') ctx.log.info({ entryId }, 'case released');
    return entryOrThrow(result, entryId);
  }

  @Authorized(Permission.QueueView, Permission.DecisionCreate)
  @Mutation(() => QueueEntry, {
    nullable: true,
    description: 'Take the highest-priority pending case, atomically; null when none is waiting. Needs decision:create; CONFLICT at 5 active cases.',
  })
  async pickNextCase(@Ctx() ctx: SubgraphContext): Promise<QueueEntry | null> {
    const result = await new QueueEntryRepository(ctx.em).pickNext(tenantOf(ctx), actorOf(ctx), new Date(), queueEntryChangedStager(ctx.requestId));
    if (result.outcome === 'none') return null;
    return entryOrThrow(result, 'next');
  }

  @Authorized(Permission.QueueAssign)
  @Mutation(() => QueueEntry, {
    description:
      'Move a held case to another analyst, with a reason (5 characters or more); logged in the case history, the new analyst is notified. ' +
      'Needs queue:assign; CONFLICT when the case is not held, already theirs, or they are at 5 active cases.',
  })
  async reassignCase(
    @Arg('entryId', () => ID) entryId: string,
    @Arg('analystId', () => ID) analystId: string,
    @Arg('reason') reason: string,
    @Ctx() ctx: SubgraphContext,
  ): Promise<QueueEntry> {
    if (!analystId.trim()) throw badInput('analystId must not be empty');
    const result = await new QueueEntryRepository(ctx.em).reassign(
      tenantOf(ctx),
      entryId,
      actorOf(ctx),
      analystId,
      reason,
      new Date(),
      queueEntryChangedStager(ctx.requestId),
      ctx.requestId,
    );
    if (result.outcome === 'moved') ctx.log.info({ entryId, assigneeId: analystId }, 'case reassigned');
    return entryOrThrow(result, entryId);
  }

  @Authorized(Permission.DecisionCreate)
  @Mutation(() => AnalystAvailability, {
    description: 'Say whether the auto-assign job may give you cases near their deadline (it fills you up to 5 active cases). Needs decision:create.',
  })
  async setAvailability(@Arg('available') available: boolean, @Ctx() ctx: SubgraphContext): Promise<AnalystAvailability> {
    const actor = actorOf(ctx);
    const senior = actor.permissions.includes(Permission.QueueAssign);
    const row = await new AnalystRepository(ctx.em).setAvailability(tenantOf(ctx), actor.id, available, senior, new Date());
    return { analystId: row.analystId, available: row.available };
  }

  @FieldResolver(() => SlaState, { description: 'Against the deadline now; for a completed case when it was completed, for a paused one when it paused' })
  slaState(@Root() entry: QueueEntry): SlaState {
    return slaState({ deadline: entry.slaDeadline, warningAt: entry.slaWarningAt }, entry.completedAt ?? entry.slaPausedAt ?? new Date()) as SlaState;
  }

  @FieldResolver(() => PriorityBand)
  priorityBand(@Root() entry: QueueEntry): PriorityBand {
    return priorityBandOf(entry.priority) as PriorityBand;
  }

  @FieldResolver(() => Boolean, { description: 'The SLA clock is paused: documents were requested from the applicant' })
  waitingOnApplicant(@Root() entry: QueueEntry): boolean {
    return entry.slaPausedAt !== null;
  }

  @FieldResolver(() => [QueueCaseMove], { description: 'Every move of the case, oldest first: who, when, from whom to whom, why' })
  async history(@Root() entry: QueueEntry, @Ctx() ctx: SubgraphContext): Promise<QueueCaseMove[]> {
    const rows = await new QueueEntryRepository(ctx.em).auditLog(tenantOf(ctx), entry.id);
    return rows.map((r) => ({
      action: r.action as QueueChangeKind,
      actorId: r.actorId,
      fromStatus: r.fromStatus as QueueEntryStatus,
      toStatus: r.toStatus as QueueEntryStatus,
      fromAssigneeId: r.fromAssignee ?? null,
      toAssigneeId: r.toAssignee ?? null,
      reason: r.reason ?? null,
      at: r.at,
    }));
  }

  @FieldResolver(() => UserRef, { nullable: true, description: 'The analyst holding the case' })
  assignee(@Root() entry: QueueEntry): UserRef | null {
    return entry.assigneeId ? { id: entry.assigneeId } : null;
  }

  @FieldResolver(() => ApplicationRef)
  application(@Root() entry: QueueEntry): ApplicationRef {
    return { id: entry.applicationId };
  }
}

@Resolver(() => ApplicationRef)
export class ApplicationQueueResolver {
  @Authorized(Permission.QueueView)
  @FieldResolver(() => QueueEntry, { nullable: true, description: 'The review case of this application: the open one, else the latest. Requires queue:view.' })
  async queueEntry(@Root() application: ApplicationRef, @Ctx() ctx: SubgraphContext): Promise<QueueEntry | null> {
    const record = await queueEntryByApplicationLoader(ctx).load(application.id);
    return record ? toQueueEntry(record) : null;
  }
}
