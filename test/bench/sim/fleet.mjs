// The fleet simulator (issue 9): N simulated devices in a few worker processes, each a real MQTT/TLS
// connection with its own credentials, enrolled through the hub's real REST API (or, against a bare
// broker such as Mosquitto, with made-up credentials). See sim-device.mjs for what each device does.
//
//   const fleet = await startFleet({ url, ca, creds, workers: 4, heartbeatSeconds: 60 });
//   const s = await fleet.stats();   // PUBACK latencies per kind since the last call, connected, pending
//   await fleet.stop();
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { healthMessageSchema, inventoryMessageSchema } from '../../../protocol/dist/index.js';
import { enrollDevice, fakeIdentity } from '../lib.mjs';
import { healthSample, simulatedDelta, simulatedInventory } from './sim-device.mjs';

const WORKER = fileURLToPath(new URL('./sim-worker.mjs', import.meta.url));

/** Enrols `count` devices through POST /api/v1/enroll, `concurrency` at a time. */
export async function enrolFleet(hubUrl, ca, token, count, concurrency = 16) {
  const creds = new Array(count);
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < count) {
        const k = i++;
        const id = fakeIdentity(k);
        const r = await enrollDevice(hubUrl, ca, token, { ...id, hostname: `sim-pc-${k}` });
        creds[k] = { deviceId: r.deviceId, secret: r.secret };
      }
    }),
  );
  return creds;
}

/** Made-up credentials, for a bare broker that takes anyone. */
export function anonymousFleet(count) {
  return Array.from({ length: count }, (_, k) => ({
    deviceId: `SIM${String(k).padStart(23, '0')}`,
    secret: 'anonymous',
  }));
}

function once(child, type) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code) => reject(new Error(`sim worker exited with ${code}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** The simulator's messages must be ones the hub stores, or the numbers measure refusals: checked first. */
export function checkSimulatedMessages() {
  const id = '01JABCDEFGHJKMNPQRSTVWXYZ0';
  const checks = [
    ['inventory', inventoryMessageSchema, simulatedInventory(7, id, 'sim-pc-7')],
    ['delta inventory', inventoryMessageSchema, simulatedDelta(7, id, Date.now())],
    ['health', healthMessageSchema, { v: 1, id, ts: new Date().toISOString(), samples: [healthSample(7, Date.now())] }],
  ];
  for (const [kind, schema, message] of checks) {
    const r = schema.safeParse(message);
    if (!r.success)
      throw new Error(`the simulated ${kind} is not valid: ${JSON.stringify(r.error.issues.slice(0, 3))}`);
  }
}

/**
 * Connects the fleet. `inventory`: what each device sends after its status on connecting, 'full',
 * 'delta' or 'none' (sim-device.mjs). `spreadSeconds`: each device connects at a random moment of that
 * window instead of all at once (`concurrency` at a time). Resolves once every device has connected or
 * failed to.
 */
export async function startFleet({
  url,
  ca,
  creds,
  workers = 4,
  heartbeatSeconds = 60,
  inventory = 'full',
  concurrency = 50,
  spreadSeconds = 0,
}) {
  checkSimulatedMessages();
  const children = [];
  const per = Math.ceil(creds.length / workers);
  const started = [];
  for (let w = 0; w < workers; w++) {
    const slice = creds.slice(w * per, (w + 1) * per);
    if (slice.length === 0) break;
    const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    const s = once(child, 'started');
    const start = { url, ca, creds: slice, first: w * per, heartbeatSeconds, inventory, concurrency, spreadSeconds };
    child.send({ cmd: 'start', ...start });
    started.push(s);
  }
  const results = await Promise.all(started);
  /** Sends `cmd` to every worker; resolves with their answers (of the same type). */
  const ask = (cmd, extra = {}) =>
    Promise.all(
      children.map((c) => {
        const p = once(c, cmd);
        c.send({ cmd, ...extra });
        return p;
      }),
    );
  return {
    pids: children.map((c) => c.pid),
    connected: results.reduce((a, r) => a + r.connected, 0),
    failed: results.reduce((a, r) => a + r.failed, 0),
    connectSeconds: Math.max(...results.map((r) => r.seconds)),
    /** PUBACK latencies (ms) per kind since the last call, merged over the workers; messages pending. */
    async stats() {
      const all = await ask('stats');
      const acks = {};
      for (const s of all) mergeLatencies(acks, s.acks);
      return {
        acks,
        connected: all.reduce((a, s) => a + s.connected, 0),
        pending: all.reduce((a, s) => a + s.pending, 0),
        /** Date.now() of the oldest message not yet acknowledged; null when none. */
        oldestPendingAt: all.reduce(
          (a, s) => (s.oldestPendingAt !== null && (a === null || s.oldestPendingAt < a) ? s.oldestPendingAt : a),
          null,
        ),
        configs: all.reduce((a, s) => a + s.configs, 0),
      };
    },
    /** The heartbeats stop; connections stay and pending messages are still sent. */
    async quiet() {
      await ask('quiet');
    },
    /** The ids of every health message the devices produced. */
    async producedHealthIds() {
      return (await ask('produced')).flatMap((r) => r.healthIds);
    },
    async stop() {
      await Promise.all(
        children.map((c) => {
          const p = once(c, 'stopped').catch(() => {});
          c.send({ cmd: 'stop' });
          return p;
        }),
      );
    },
  };
}

/** Appends each kind's latencies of `from` to `into` ({kind: ms[]}). */
export function mergeLatencies(into, from) {
  for (const [kind, ms] of Object.entries(from)) {
    if (!into[kind]) into[kind] = [];
    into[kind].push(...ms);
  }
  return into;
}

/** p50/p99/max of a list of milliseconds. */
export function percentiles(ms) {
  if (ms.length === 0) return { n: 0 };
  const s = [...ms].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: s[s.length - 1] };
}
