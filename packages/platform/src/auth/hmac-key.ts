import { webcrypto } from 'node:crypto';

const hmacKeys = new Map<string, Promise<webcrypto.CryptoKey>>();

/**
 * One WebCrypto HMAC key per secret, imported once. jose signs and verifies
 * with WebCrypto: handed raw bytes or a node KeyObject, it imports a key on
 * every call, which cost more than the HMAC itself.
 */
export function hmacKey(secret: string): Promise<webcrypto.CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey('raw', Buffer.from(secret, 'utf8'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    hmacKeys.set(secret, key);
  }
  return key;
}
