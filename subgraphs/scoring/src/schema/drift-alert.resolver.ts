import { Permission, TandemError } from '@tandem/platform';
import { Authorized, Resolver, Subscription } from 'type-graphql';
import { DriftAlert } from './drift-alert.types.js';

const SERVED_BY_GATEWAY = 'Subscription.driftAlert is served by the gateway from the event bus (scoring.drift_alert); subscribe through the gateway';

/**
 * Declares the subscription in this subgraph's SDL so it composes into the
 * supergraph; the gateway executes it from the bus, never this subgraph
 * (the platform gives type-graphql a pubSub that refuses to run it).
 */
@Resolver(() => DriftAlert)
export class DriftAlertResolver {
  @Authorized(Permission.AnalyticsView)
  @Subscription(() => DriftAlert, {
    description: 'Model drift alerts of your tenant, live. Requires analytics:view. Served by the gateway.',
    subscribe: () => {
      throw new TandemError('BAD_USER_INPUT', SERVED_BY_GATEWAY);
    },
  })
  driftAlert(): DriftAlert {
    // Reached only if a subscription operation is sent to this subgraph over HTTP.
    throw new TandemError('BAD_USER_INPUT', SERVED_BY_GATEWAY);
  }
}
