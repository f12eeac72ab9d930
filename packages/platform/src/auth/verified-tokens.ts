/**
 * Tokens whose signature was checked, until they expire: the same token
 * arrives with every request of a session, and a signature check costs more
 * than the rest of a cached answer. Keyed by the whole token and the secret
 * it was checked with, so nothing unverified is ever trusted; oldest first
 * out when full.
 */
export class VerifiedTokens<T> {
  private readonly entries = new Map<string, { secret: string; value: T; expiresAtMs: number }>();

  constructor(private readonly max = 5_000) {}

  get(token: string, secret: string): T | undefined {
    const known = this.entries.get(token);
    if (!known) return undefined;
    if (known.secret === secret && known.expiresAtMs > Date.now()) return known.value;
    if (known.expiresAtMs <= Date.now()) this.entries.delete(token);
    return undefined;
  }

  set(token: string, secret: string, value: T, expiresAtMs: number): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { secret, value, expiresAtMs });
  }
}
