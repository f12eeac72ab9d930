import { createLogger, type SubgraphRuntime } from '@tandem/platform';
import { RefreshTokenRepository } from '../data/refresh-token.repository.js';

const log = createLogger('identity:purge-refresh-tokens');

export const PURGE_INTERVAL_MS = 60 * 60 * 1000;
/** Expired tokens are kept a day longer, so a late replay of one is still recognised as reuse. */
export const PURGE_GRACE_MS = 24 * 60 * 60 * 1000;

/** Every rotation adds a row; this keeps the table to the sessions that can still be used. */
export async function purgeExpiredRefreshTokens(runtime: Pick<SubgraphRuntime, 'orm'>, now = new Date()): Promise<number> {
  const purged = await new RefreshTokenRepository(runtime.orm.em.fork()).purgeExpired(new Date(now.getTime() - PURGE_GRACE_MS));
  if (purged) log.info({ purged }, 'expired refresh tokens purged');
  return purged;
}
