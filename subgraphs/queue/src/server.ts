import { forbidden, Permission, type SubgraphContext, type SubgraphModule, tenantOf } from '@tandem/platform';
import { AnalystRecord } from './data/analyst.entity.js';
import { queueMigrations } from './data/migrations/index.js';
import { NotificationRecord } from './data/notification.entity.js';
import { QueueAuditRecord } from './data/queue-audit.entity.js';
import { QueueEntryRecord } from './data/queue-entry.entity.js';
import { SlaPolicyRecord } from './data/sla-policy.entity.js';
import { queueConsumers } from './events/queue-events.js';
import { AUTO_ASSIGN_INTERVAL_MS, runAutoAssign } from './jobs/auto-assign.js';
import { PRIORITY_REFRESH_INTERVAL_MS, runPriorityRefresh } from './jobs/priority-refresh.js';
import { runSlaWatcher, SLA_WATCH_INTERVAL_MS } from './jobs/sla-watcher.js';
import { NotificationResolver } from './schema/notification.resolver.js';
import { ApplicationQueueResolver, QueueEntryResolver, queueEntryLoader } from './schema/queue.resolver.js';
import { toQueueEntry } from './schema/queue-entry.mapper.js';
import { QueueSubscriptionResolver } from './schema/queue-subscriptions.js';
import { SlaPolicyResolver } from './schema/sla-policy.resolver.js';

/** The queue subgraph: owns QueueEntry, the human-review cases, their assignment and their SLA; and the in-app notifications. */
export const queueSubgraph: SubgraphModule = {
  name: 'queue',
  resolvers: [QueueEntryResolver, ApplicationQueueResolver, QueueSubscriptionResolver, NotificationResolver, SlaPolicyResolver],
  entities: [QueueEntryRecord, SlaPolicyRecord, AnalystRecord, NotificationRecord, QueueAuditRecord],
  migrations: queueMigrations,
  referenceResolvers: {
    QueueEntry: async (ref: { id: string }, ctx: SubgraphContext) => {
      tenantOf(ctx);
      // Reference resolution skips @Authorized: check here what queueEntry(id) checks.
      if (!ctx.caller.permissions.includes(Permission.QueueView)) throw forbidden(`Missing permission: ${Permission.QueueView}`);
      const record = await queueEntryLoader(ctx).load(ref.id);
      return record ? toQueueEntry(record) : null;
    },
    Application: (ref: { id: string }) => ({ id: ref.id }),
    User: (ref: { id: string }) => ({ id: ref.id }),
  },
  consumers: () => queueConsumers(),
  jobs: (runtime) => [
    { name: 'sla-watcher', everyMs: SLA_WATCH_INTERVAL_MS, run: async () => void (await runSlaWatcher(runtime.orm)) },
    { name: 'priority-refresh', everyMs: PRIORITY_REFRESH_INTERVAL_MS, run: async () => void (await runPriorityRefresh(runtime.orm)) },
    { name: 'auto-assign', everyMs: AUTO_ASSIGN_INTERVAL_MS, run: async () => void (await runAutoAssign(runtime.orm)) },
  ],
};
