import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

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

/**
 * A /graphql request's whole time in the HTTP host: from its headers' arrival to the end of its answer. Beside
 * the operation's own span it shows what the pipeline does not see: reading the body, the gateway's admission
 * (limits, trusted documents, the response cache), building the context, writing the answer, and any wait for
 * the event loop in between.
 */
export const httpRequestDuration = new Histogram({
  name: 'tandem_http_request_seconds',
  help: 'A /graphql request from its arrival at the HTTP host to the end of its answer, by service and by what answered it (graphql: the pipeline; admission: a refusal or the response cache before it; host: a body refused before either)',
  labelNames: ['service', 'answered_by'] as const,
  // Finer around 30 ms, the decisions' p95 target: the share under it is read off a bound, not guessed between 25 and 50.
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5],
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
