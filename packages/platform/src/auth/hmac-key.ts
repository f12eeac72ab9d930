import { createSecretKey, type KeyObject } from 'node:crypto';

const hmacKeys = new Map<string, KeyObject>();

/**
 * One HMAC key object per secret, imported once: handed raw bytes, jose
 * imports a WebCrypto key on every sign and verify, which cost the gateway
 * more than the check itself.
 */
export function hmacKey(secret: string): KeyObject {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    hmacKeys.set(secret, key);
  }
  return key;
}
