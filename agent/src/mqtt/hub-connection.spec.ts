import { EventEmitter } from 'node:events';
import type { IClientOptions, MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger.js';
import type { Clock } from '../system/clock.js';
import { Backoff } from './backoff.js';
import { HubConnection } from './hub-connection.js';

/** A clock whose timers run only when the test says so. */
function manualClock() {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return t;
    },
    clearTimeout: (t) => {
      const i = timers.indexOf(t as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const runNext = () => {
    timers.sort((a, b) => a.at - b.at);
    const t = timers.shift();
    if (!t) throw new Error('no timer scheduled');
    now = t.at;
    t.fn();
  };
  return { clock, runNext };
}

/** mqtt.connect stand-in: records the URL of each attempt; the test decides how each one ends. */
function fakeConnect() {
  const attempts: { url: string; client: EventEmitter }[] = [];
  const connect = (url: string, _options: IClientOptions) => {
    const client = Object.assign(new EventEmitter(), {
      publish: (_t: string, _p: Buffer, _o: unknown, cb?: (err?: Error) => void) => cb?.(),
      subscribe: (_t: string[], _o: unknown, cb: (err: Error | null, granted: unknown[]) => void) => cb(null, []),
      end: () => undefined,
      endAsync: async () => undefined,
    });
    attempts.push({ url, client });
    return client as unknown as MqttClient;
  };
  return { attempts, connect };
}

function connection(mqttUrls: string[]) {
  const { clock, runNext } = manualClock();
  const fake = fakeConnect();
  const hub = new HubConnection(
    { mqttUrls, caPem: 'CA', deviceId: 'dev-1', secret: 's', agentVersion: '1.0.0', stableAfterMs: 60_000 },
    {
      connect: fake.connect,
      clock,
      backoff: new Backoff(() => 0.5),
      logger: createMemoryLogger(),
      ids: () => 'id',
      onConnected: () => undefined,
      onDisconnected: () => undefined,
    },
  );
  return { hub, runNext, attempts: fake.attempts };
}

describe('HubConnection with several hubs', () => {
  it('tries the next hub after each failed attempt, and starts over after the last', () => {
    const { hub, runNext, attempts } = connection(['mqtts://a:8883', 'mqtts://b:8883', 'mqtts://c:8883']);
    hub.start();
    for (let i = 0; i < 4; i++) {
      attempts.at(-1)?.client.emit('close');
      runNext();
    }
    expect(attempts.map((a) => a.url)).toEqual([
      'mqtts://a:8883',
      'mqtts://b:8883',
      'mqtts://c:8883',
      'mqtts://a:8883',
      'mqtts://b:8883',
    ]);
  });

  it('moves to another hub when the connected one goes away', () => {
    const { hub, runNext, attempts } = connection(['mqtts://a:8883', 'mqtts://b:8883']);
    hub.start();
    attempts[0]?.client.emit('connect');
    expect(hub.connected).toBe(true);
    attempts[0]?.client.emit('close'); // hub A killed
    expect(hub.connected).toBe(false);
    runNext();
    expect(attempts.map((a) => a.url)).toEqual(['mqtts://a:8883', 'mqtts://b:8883']);
    attempts[1]?.client.emit('connect');
    expect(hub.connected).toBe(true);
    expect(hub.url).toBe('mqtts://b:8883');
  });

  it('keeps to its one hub when it knows only one', () => {
    const { hub, runNext, attempts } = connection(['mqtts://a:8883']);
    hub.start();
    attempts[0]?.client.emit('close');
    runNext();
    expect(attempts.map((a) => a.url)).toEqual(['mqtts://a:8883', 'mqtts://a:8883']);
  });
});
