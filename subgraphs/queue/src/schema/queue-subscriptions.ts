import { badInput, Permission } from '@tandem/platform';
import { Authorized, Resolver, Subscription } from 'type-graphql';
import { NotificationReceivedEvent } from './notification.types.js';
import { QueueChangedEvent, SlaWarningEvent } from './queue-entry.types.js';

const SERVED_BY_GATEWAY = 'Subscriptions are served by the gateway over graphql-ws at /graphql';
const refuse = (): never => {
  throw badInput(SERVED_BY_GATEWAY);
};

/**
 * The queue's Subscription root fields. The gateway serves them over
 * graphql-ws from the bus (queue.entry_changed, queue.sla_warning,
 * notification.created) and resolves `entry` through queueEntry(id) and
 * `notification` through notification(id), with the subscriber's identity;
 * this subgraph only declares them, so that they compose into the supergraph.
 */
@Resolver()
export class QueueSubscriptionResolver {
  @Authorized(Permission.QueueView)
  @Subscription(() => QueueChangedEvent, { description: 'Every change of a review case of your tenant. Requires queue:view.', subscribe: refuse })
  queueChanged(): QueueChangedEvent {
    return refuse();
  }

  @Authorized(Permission.QueueView)
  @Subscription(() => SlaWarningEvent, { description: 'Cases of your tenant nearing or past their deadline. Requires queue:view.', subscribe: refuse })
  slaWarning(): SlaWarningEvent {
    return refuse();
  }

  @Authorized(Permission.QueueView)
  @Subscription(() => NotificationReceivedEvent, {
    description:
      'Your own in-app notifications as they are created (SLA alerts, cases given to you, rejected overrides, documents arrived). Requires queue:view.',
    subscribe: refuse,
  })
  notificationReceived(): NotificationReceivedEvent {
    return refuse();
  }
}
