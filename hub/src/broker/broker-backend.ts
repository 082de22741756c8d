import persistenceRedis from 'aedes-persistence-redis';
import { Redis } from 'ioredis';
import mqemitterRedis from 'mqemitter-redis';

/**
 * Where aedes keeps what several hubs must share: the emitter that carries every publication between
 * them and the persistence (retained messages, subscriptions, wills). None: in memory, one hub.
 */
export interface BrokerBackend {
  mq?: unknown;
  persistence?: unknown;
  /** Closes what the emitter does not close itself (the persistence's Redis connection). */
  close(): Promise<void>;
}

export const inMemoryBackend = (): BrokerBackend => ({ close: async () => undefined });

/** mqemitter-redis and aedes-persistence-redis on one Redis server (`redis://[:password@]host:port/db`). */
export function redisBackend(url: string): BrokerBackend {
  const conn = new Redis(url, { lazyConnect: false });
  return {
    mq: mqemitterRedis({ connectionString: url }),
    persistence: persistenceRedis({ conn }),
    close: async () => {
      await conn.quit();
    },
  };
}

/** The URL without its password, for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparsable URL)';
  }
}
