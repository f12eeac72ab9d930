import { loader, notFound, Permission, pageWindow, type SubgraphContext, tenantOf, toConnection } from '@tandem/platform';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { NotificationRecord } from '../data/notification.entity.js';
import { NotificationRepository } from '../data/notification.repository.js';
import { Notification, NotificationConnection, type NotificationKind } from './notification.types.js';
import { actorOf, queueEntryLoader } from './queue.resolver.js';
import { toQueueEntry } from './queue-entry.mapper.js';
import { ApplicationRef, QueueEntry } from './queue-entry.types.js';

export function toNotification(r: NotificationRecord): Notification {
  return {
    id: r.id,
    kind: r.kind as NotificationKind,
    message: r.message,
    createdAt: r.createdAt,
    readAt: r.readAt ?? null,
    entryId: r.entryId ?? null,
    applicationId: r.applicationId ?? null,
  };
}

/** The caller's own notifications: every read and write is scoped to the signed-in user. */
const notificationLoader = (ctx: SubgraphContext) =>
  loader(ctx, 'notification', () => new NotificationRepository(ctx.em).loader(tenantOf(ctx), actorOf(ctx).id));

@Resolver(() => Notification)
export class NotificationResolver {
  @Authorized(Permission.QueueView)
  @Query(() => NotificationConnection, { description: 'Your in-app notifications, newest first. Requires queue:view.' })
  async notifications(
    @Ctx() ctx: SubgraphContext,
    @Arg('unreadOnly', () => Boolean, { nullable: true }) unreadOnly?: boolean | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const { limit, offset } = pageWindow(first, after);
    const { items, total } = await new NotificationRepository(ctx.em).listForRecipient(tenantOf(ctx), actorOf(ctx).id, !!unreadOnly, limit, offset);
    return toConnection(items.map(toNotification), total, offset);
  }

  @Authorized(Permission.QueueView)
  @Query(() => Int, { description: 'How many of your notifications are unread. Requires queue:view.' })
  async unreadNotificationCount(@Ctx() ctx: SubgraphContext): Promise<number> {
    return (await new NotificationRepository(ctx.em).listForRecipient(tenantOf(ctx), actorOf(ctx).id, true, 1, 0)).total;
  }

  @Authorized(Permission.QueueView)
  @Query(() => Notification, { nullable: true, description: 'One of your notifications; null for anyone else’s. Requires queue:view.' })
  async notification(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<Notification | null> {
    const record = await notificationLoader(ctx).load(id);
    return record ? toNotification(record) : null;
  }

  @Authorized(Permission.QueueView)
  @Mutation(() => Notification, { description: 'Mark one of your notifications read (a repeat keeps the first time). NOT_FOUND for anyone else’s.' })
  async markNotificationRead(@Arg('id', () => ID) id: string, @Ctx() ctx: SubgraphContext): Promise<Notification> {
    const record = await new NotificationRepository(ctx.em).markRead(tenantOf(ctx), actorOf(ctx).id, id, new Date());
    if (!record) throw notFound('Notification', id);
    return toNotification(record);
  }

  @FieldResolver(() => QueueEntry, { nullable: true, description: 'The case it is about' })
  async entry(@Root() n: Notification, @Ctx() ctx: SubgraphContext): Promise<QueueEntry | null> {
    if (!n.entryId) return null;
    const record = await queueEntryLoader(ctx).load(n.entryId);
    return record ? toQueueEntry(record) : null;
  }

  @FieldResolver(() => ApplicationRef, { nullable: true })
  application(@Root() n: Notification): ApplicationRef | null {
    return n.applicationId ? { id: n.applicationId } : null;
  }
}
