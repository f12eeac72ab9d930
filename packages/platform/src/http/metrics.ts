import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One Prometheus registry per process; every component registers here. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const operationDuration = new Histogram({
  name: 'tandem_graphql_operation_seconds',
  help: 'GraphQL operation latency by service and operation',
  labelNames: ['service', 'operation', 'type'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

export const operationErrors = new Counter({
  name: 'tandem_graphql_errors_total',
  help: 'GraphQL errors by service and code',
  labelNames: ['service', 'code'] as const,
  registers: [metricsRegistry],
});

export const eventsHandled = new Counter({
  name: 'tandem_events_handled_total',
  help: 'Events handled by consumer and type',
  labelNames: ['consumer', 'type'] as const,
  registers: [metricsRegistry],
});
