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

/** A batch's events per tenant, each tenant's in the batch's order: batch handlers write one statement per tenant. */
export function eventsByTenant<T>(events: readonly EventEnvelope<T>[]): Map<string, EventEnvelope<T>[]> {
  const byTenant = new Map<string, EventEnvelope<T>[]>();
  for (const e of events) {
    const ofTenant = byTenant.get(e.tenantId);
    if (ofTenant) ofTenant.push(e);
    else byTenant.set(e.tenantId, [e]);
  }
  return byTenant;
}
