import type { Readable } from 'node:stream';
import MemoryPersistence from 'aedes-persistence/asyncPersistence.js';
import { describe, expect, it } from 'vitest';
import { IndexedMemoryPersistence } from './indexed-memory-persistence.js';

const packet = (topic: string, payload = `of ${topic}`) => ({
  cmd: 'publish',
  topic,
  payload: Buffer.from(payload),
  qos: 1,
  retain: true,
});

async function topics(stream: Readable): Promise<string[]> {
  const found: string[] = [];
  for await (const p of stream) found.push((p as { topic: string }).topic);
  return found.sort();
}

const TOPICS = [
  'bascule/v1/devices/d1/config',
  'bascule/v1/devices/d1/status',
  'bascule/v1/devices/d2/config',
  'bascule/v1/devices/d2/status',
  'bascule/v1/devices/d2/term/s1/in',
  'bascule/v1/devices',
  'bascule/v1/devices/',
  'bascule/v1/devices//config',
  'other/a/b/c',
  '/leading/slash',
];

const FILTERS = [
  'bascule/v1/devices/d1/config',
  'bascule/v1/devices/d9/config',
  'bascule/v1/devices/d2/term/+/in',
  'bascule/v1/devices/d1/term/+/in',
  'bascule/v1/devices/+/config',
  'bascule/v1/devices/+/+',
  'bascule/v1/devices/#',
  'bascule/v1/devices/+',
  'bascule/+/devices/d2/#',
  'bascule/v1/devices/d1',
  '+/a/+/c',
  '+/leading/slash',
  '#',
  '+',
  'other/a/b/c/#',
  'other/a/b/c/+',
];

describe('IndexedMemoryPersistence', () => {
  it('answers every filter with the retained messages aedes` own memory persistence answers', async () => {
    const indexed = new IndexedMemoryPersistence();
    const upstream = new MemoryPersistence();
    for (const topic of TOPICS) {
      await indexed.storeRetained(packet(topic));
      await upstream.storeRetained(packet(topic));
    }
    for (const filter of FILTERS) {
      const ours = await topics(indexed.createRetainedStream(filter));
      expect(ours, filter).toEqual(await topics(upstream.createRetainedStream(filter)));
    }
    expect(await topics(indexed.createRetainedStreamCombi(FILTERS.slice(0, 3)))).toEqual(
      await topics(upstream.createRetainedStreamCombi(FILTERS.slice(0, 3))),
    );
    // As aedes delivers live messages (qlobber), `+` does not stand for an empty level.
    expect(await topics(indexed.createRetainedStream('bascule/v1/devices/+/config'))).toEqual([
      'bascule/v1/devices/d1/config',
      'bascule/v1/devices/d2/config',
    ]);
  });

  it('keeps the last message of a topic, a copy of it, and forgets a topic on an empty payload', async () => {
    const p = new IndexedMemoryPersistence();
    const first = packet('bascule/v1/devices/d1/config', 'v1');
    await p.storeRetained(first);
    first.topic = 'changed/after/storing'; // aedes reuses its packet objects
    const [copy] = await p.createRetainedStream('bascule/v1/devices/d1/config').toArray();
    expect((copy as { topic: string }).topic).toBe('bascule/v1/devices/d1/config');
    await p.storeRetained(packet('bascule/v1/devices/d1/config', 'v2'));
    await p.storeRetained(packet('bascule/v1/devices/d1/config/deeper', 'v1'));
    const [kept] = await p.createRetainedStream('bascule/v1/devices/d1/config').toArray();
    expect(String((kept as { payload: Buffer }).payload)).toBe('v2');
    expect(p.retainedCount).toBe(2);

    await p.storeRetained(packet('bascule/v1/devices/d1/config', ''));
    expect(await topics(p.createRetainedStream('bascule/v1/devices/d1/#'))).toEqual([
      'bascule/v1/devices/d1/config/deeper',
    ]);
    await p.storeRetained(packet('bascule/v1/devices/d1/config/deeper', ''));
    await p.storeRetained(packet('never/stored', ''));
    expect(p.retainedCount).toBe(0);
    expect(await topics(p.createRetainedStream('#'))).toEqual([]);
  });

  it('does not give topics starting with $ to filters starting with a wildcard (MQTT 3.1.1, 4.7.2)', async () => {
    const p = new IndexedMemoryPersistence();
    await p.storeRetained(packet('$SYS/broker/uptime'));
    await p.storeRetained(packet('bascule/v1/devices/d1/status'));
    expect(await topics(p.createRetainedStream('#'))).toEqual(['bascule/v1/devices/d1/status']);
    expect(await topics(p.createRetainedStream('+/broker/uptime'))).toEqual([]);
    expect(await topics(p.createRetainedStream('$SYS/#'))).toEqual(['$SYS/broker/uptime']);
  });
});
