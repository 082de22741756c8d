import { describe, expect, it } from 'vitest';
import { ClusterPresence, type Emitter, type EmitterPacket } from './cluster-presence.js';

const HEARTBEAT = 60_000;

/** An in-process emitter with mqemitter's `+` wildcard: enough for the `$SYS` topics. */
function emitter() {
  const listeners: { topic: string; fn: (p: EmitterPacket, done: () => void) => void }[] = [];
  const matches = (filter: string, topic: string) => {
    const f = filter.split('/');
    const t = topic.split('/');
    return f.length === t.length && f.every((w, i) => w === '+' || w === t[i]);
  };
  const mq: Emitter = {
    on: (topic, fn, cb) => {
      listeners.push({ topic, fn });
      cb?.();
      return mq;
    },
  };
  const emit = (topic: string, payload: string) => {
    for (const l of listeners) if (matches(l.topic, topic)) l.fn({ topic, payload: Buffer.from(payload) }, () => {});
  };
  return { mq, emit };
}

async function presence() {
  let now = 1_000_000;
  const gone: string[] = [];
  const p = new ClusterPresence(
    'hub-b',
    HEARTBEAT,
    () => now,
    (id) => gone.push(id),
  );
  const { mq, emit } = emitter();
  await p.listen(mq);
  return { p, emit, gone, advance: (ms: number) => (now += ms) };
}

describe('ClusterPresence', () => {
  it('knows a device connected to another hub until it disconnects there', async () => {
    const { p, emit, gone } = await presence();
    emit('$SYS/hub-a/new/clients', 'dev-1');
    expect(p.heldElsewhere('dev-1')).toBe(true);
    expect(p.heldElsewhere('dev-2')).toBe(false);
    emit('$SYS/hub-a/disconnect/clients', 'dev-1');
    expect(p.heldElsewhere('dev-1')).toBe(false);
    expect(gone).toEqual(['dev-1']);
  });

  it('forgets a device that moved to this hub, and ignores the old hub closing its stale connection', async () => {
    const { p, emit, gone } = await presence();
    emit('$SYS/hub-a/new/clients', 'dev-1');
    emit('$SYS/hub-b/new/clients', 'dev-1');
    expect(p.heldElsewhere('dev-1')).toBe(false);
    emit('$SYS/hub-a/disconnect/clients', 'dev-1');
    expect(gone).toEqual([]);
  });

  it('keeps the newest hub when a device moves between two others', async () => {
    const { p, emit, gone } = await presence();
    emit('$SYS/hub-a/new/clients', 'dev-1');
    emit('$SYS/hub-c/new/clients', 'dev-1');
    emit('$SYS/hub-a/disconnect/clients', 'dev-1'); // hub A closes the connection hub C took over
    expect(p.heldElsewhere('dev-1')).toBe(true);
    expect(gone).toEqual([]);
  });

  it('stops counting a hub that missed three heartbeats (killed), and counts it again when it beats', async () => {
    const { p, emit, advance } = await presence();
    emit('$SYS/hub-a/new/clients', 'dev-1');
    advance(2 * HEARTBEAT);
    emit('$SYS/hub-a/heartbeat', 'hub-a');
    advance(3 * HEARTBEAT);
    expect(p.heldElsewhere('dev-1')).toBe(true);
    advance(1);
    expect(p.heldElsewhere('dev-1')).toBe(false);
    emit('$SYS/hub-a/heartbeat', 'hub-a');
    expect(p.heldElsewhere('dev-1')).toBe(true);
  });
});
