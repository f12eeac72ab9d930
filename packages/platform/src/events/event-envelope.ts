import { randomUUID } from 'node:crypto';

/**
 * What travels between subgraphs. `id` is the idempotency key every consumer
 * dedupes on; `tenantId` lets every hop (and the gateway's subscriptions)
 * filter without reading the payload.
 */
export interface EventEnvelope<T = Record<string, unknown>> {
  id: string;
  type: string;
  tenantId: string;
  source: string;
  occurredAt: string;
  payload: T;
  requestId?: string;
}

export function newEnvelope<T>(source: string, type: string, tenantId: string, payload: T, requestId?: string): EventEnvelope<T> {
  return { id: randomUUID(), type, tenantId, source, occurredAt: new Date().toISOString(), payload, requestId };
}
