import { describe, expect, it } from 'vitest';
import { isDelivered, nextRetryDelayMs, signWebhook, verifyWebhookSignature } from './webhook-signing.js';

const SECRET = 'whsec_0123456789abcdef0123456789';
const BODY = '{"type":"decision.made","data":{"outcome":"APPROVED"}}';

describe('webhook signatures', () => {
  it('verifies what was signed, at the time it was signed', () => {
    const header = signWebhook(SECRET, BODY, 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, BODY, header, 1_700_000_010)).toBe(true);
  });
  it('fails for another body, another secret, a forged timestamp or a stale one', () => {
    const header = signWebhook(SECRET, BODY, 1_700_000_000);
    expect(verifyWebhookSignature(SECRET, `${BODY} `, header, 1_700_000_000)).toBe(false);
    expect(verifyWebhookSignature(`${SECRET}x`, BODY, header, 1_700_000_000)).toBe(false);
    expect(verifyWebhookSignature(SECRET, BODY, header.replace('t=1700000000', 't=1700000001'), 1_700_000_000)).toBe(false);
    expect(verifyWebhookSignature(SECRET, BODY, header, 1_700_000_000 + 301)).toBe(false);
    expect(verifyWebhookSignature(SECRET, BODY, 'garbage', 1_700_000_000)).toBe(false);
  });
});

describe('retry policy', () => {
  it('backs off exponentially, capped, and gives up after the last attempt', () => {
    const policy = { baseDelayMs: 1_000, maxDelayMs: 5_000, maxAttempts: 5 };
    expect([1, 2, 3, 4].map((a) => nextRetryDelayMs(a, policy))).toEqual([1_000, 2_000, 4_000, 5_000]);
    expect(nextRetryDelayMs(5, policy)).toBeNull();
  });
  it('counts only 2xx as delivered', () => {
    expect([200, 204, 299].every(isDelivered)).toBe(true);
    expect([null, 301, 400, 500].some(isDelivered)).toBe(false);
  });
});
