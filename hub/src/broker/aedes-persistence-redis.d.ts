// aedes-persistence-redis ships no types; this is the one call the hub makes.
declare module 'aedes-persistence-redis' {
  import type { Redis } from 'ioredis';
  export default function persistenceRedis(options: { conn: Redis }): unknown;
}
