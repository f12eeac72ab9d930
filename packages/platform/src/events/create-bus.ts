import type { EventBus } from './event-bus.js';
import { InProcessBus } from './in-process-bus.js';
import { RedisStreamBus } from './redis-stream-bus.js';

/** Redis when REDIS_URL is set (cluster, production); the in-process bus otherwise. */
export function createEventBus(redisUrl?: string): EventBus {
  return redisUrl ? new RedisStreamBus(redisUrl) : new InProcessBus();
}
