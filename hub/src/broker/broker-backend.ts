import persistenceRedis from 'aedes-persistence-redis';
import { Redis } from 'ioredis';
import mqemitterRedis from 'mqemitter-redis';
import type { Logger } from '../core/logger.js';
import { indexedMemoryPersistence } from './indexed-memory-persistence.js';

/**
 * Where aedes keeps what several hubs must share: the emitter that carries every publication between
 * them and the persistence (retained messages, subscriptions, wills). None: in memory, one hub.
 */
export interface BrokerBackend {
  mq?: unknown;
  persistence?: unknown;
  /** Closes what aedes does not close itself (the persistence's Redis connection). */
  close(): Promise<void>;
}

/** One hub: aedes' in-process emitter, and its memory persistence with retained messages indexed by topic. */
export const inMemoryBackend = (): BrokerBackend => ({
  persistence: indexedMemoryPersistence(),
  close: async () => undefined,
});

/**
 * mqemitter-redis and aedes-persistence-redis on one Redis server (`redis://[:password@]host:port/db`).
 * Refuses to start when Redis cannot be reached; later outages are logged once each (ioredis reconnects
 * by itself and holds commands meanwhile, so publications wait rather than vanish).
 */
export async function openRedisBackend(url: string, logger: Logger): Promise<BrokerBackend> {
  const where = redactRedisUrl(url);
  let firstError: Error | undefined;
  const connections = ['persistence', 'publish', 'subscribe'].map((role) => {
    const conn = new Redis(url, { lazyConnect: true });
    let down = false;
    conn.on('error', (err: Error) => {
      firstError ??= err;
      if (down) return;
      down = true;
      logger.error('redis: connection lost; the hubs of the cluster do not hear this one until it returns', {
        redis: where,
        role,
        error: err,
      });
    });
    conn.on('ready', () => {
      if (!down) return;
      down = false;
      logger.info('redis: connection back', { redis: where, role });
    });
    return conn;
  });
  try {
    await Promise.all(connections.map((c) => c.connect()));
  } catch (err) {
    for (const c of connections) c.disconnect();
    throw new Error(
      `cannot reach Redis at ${where}: ${(firstError ?? (err as Error)).message} (check --redis-url or BASCULE_REDIS_URL, and that redis-server runs)`,
    );
  }
  const [conn, pubConn, subConn] = connections as [Redis, Redis, Redis];
  const mq = mqemitterRedis({ pubConn, subConn });
  // mqemitter-redis re-emits its connections' errors here; they are logged above.
  (mq as unknown as { state: NodeJS.EventEmitter }).state.on('error', () => undefined);
  return {
    mq,
    persistence: persistenceRedis({ conn }),
    close: async () => {
      await conn.quit();
    },
  };
}

/** The URL without its password, for logs and messages. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparsable URL)';
  }
}
