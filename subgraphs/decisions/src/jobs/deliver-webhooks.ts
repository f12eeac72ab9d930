import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger } from '@tandem/platform';
import { type ClaimedDelivery, WebhookRepository } from '../data/webhook.repository.js';
import {
  DEFAULT_RETRY_POLICY,
  DELIVERY_HEADER,
  EVENT_HEADER,
  isDelivered,
  nextRetryDelayMs,
  type RetryPolicy,
  SIGNATURE_HEADER,
  signWebhook,
} from '../domain/webhook-signing.js';

const log = createLogger('decisions:webhooks');

export const WEBHOOK_DELIVERY_INTERVAL_MS = 1_000;

export interface WebhookDeliveryOptions {
  retry: RetryPolicy;
  /** How long one attempt may take before it counts as failed. */
  timeoutMs: number;
  /** A claimed delivery whose sender died is tried again after this. */
  leaseMs: number;
  batchSize: number;
}

export const DEFAULT_WEBHOOK_DELIVERY: WebhookDeliveryOptions = { retry: DEFAULT_RETRY_POLICY, timeoutMs: 5_000, leaseMs: 30_000, batchSize: 50 };

/**
 * One pass of the webhook sender: claims the due deliveries, POSTs each,
 * signed, to its client's current endpoint, and records the answer: 2xx is
 * delivered, anything else backs off exponentially until the last attempt
 * dead-letters it. Returns how many attempts were made.
 */
export async function deliverDueWebhooks(orm: MikroORM, options: WebhookDeliveryOptions = DEFAULT_WEBHOOK_DELIVERY): Promise<number> {
  const repo = new WebhookRepository(orm.em.fork());
  const claimed = await repo.claimDue(options.batchSize, options.leaseMs);
  await Promise.all(claimed.map((d) => attempt(repo, d, options)));
  return claimed.length;
}

async function attempt(repo: WebhookRepository, d: ClaimedDelivery, options: WebhookDeliveryOptions): Promise<void> {
  let status: number | null = null;
  let error = '';
  if (!d.url || !d.secret) {
    error = 'the client has no webhook endpoint';
  } else {
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Tandem-Webhooks/1',
          [SIGNATURE_HEADER]: signWebhook(d.secret, d.body, Math.floor(Date.now() / 1000)),
          [EVENT_HEADER]: d.eventType,
          [DELIVERY_HEADER]: d.id,
        },
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      status = res.status;
      await res.body?.cancel();
      if (!isDelivered(status)) error = `HTTP ${status}`;
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
  }
  const now = new Date();
  if (isDelivered(status)) {
    await repo.recordDelivered(d.id, status as number, now);
    return;
  }
  const delay = nextRetryDelayMs(d.attempts + 1, options.retry);
  await repo.recordFailed(d.id, status, error, delay === null ? null : new Date(now.getTime() + delay), now);
  log.warn(
    { deliveryId: d.id, clientId: d.clientId, tenantId: d.tenantId, attempts: d.attempts + 1, status, error, deadLettered: delay === null },
    'webhook delivery failed',
  );
}
