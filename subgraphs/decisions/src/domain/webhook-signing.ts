import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Partner webhooks. Each delivery is signed over the raw body with the API
 * client's secret: `X-Tandem-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256
 * of "<t>.<body>">`. The timestamp is inside the MAC, so a receiver can
 * refuse replays older than its tolerance.
 */
export const SIGNATURE_HEADER = 'x-tandem-signature';
export const EVENT_HEADER = 'x-tandem-event';
export const DELIVERY_HEADER = 'x-tandem-delivery';
export const MIN_SECRET_LENGTH = 24;
export const MAX_SECRET_LENGTH = 256;

/** What partners receive: decisions that take effect, documents requests, override and condition outcomes. */
export type WebhookEventType = 'decision.made' | 'decision.documents_requested' | 'decision.override_rejected' | 'decision.condition_fulfilled';

export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** What a partner runs on receipt; here for tests and as the reference for partners' integrators. */
export function verifyWebhookSignature(secret: string, body: string, header: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, body, t).split('v1=')[1], 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface RetryPolicy {
  /** Delay after the first failure; doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts before a delivery is dead-lettered. */
  maxAttempts: number;
}

/** 1 s, 2 s, 4 s … capped at an hour; eight attempts span about four minutes before dead-lettering. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 3_600_000, maxAttempts: 8 };

/** After `attempts` failed attempts: wait this long, or null when the delivery goes to the dead letters. */
export function nextRetryDelayMs(attempts: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number | null {
  if (attempts >= policy.maxAttempts) return null;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

/** A 2xx answer is delivered; anything else (or no answer) is retried. */
export const isDelivered = (status: number | null) => status !== null && status >= 200 && status < 300;
