// A worker process of the fleet simulator: runs a slice of the simulated devices (sim-device.mjs) and
// answers its parent (fleet.mjs) over IPC. Messages in: {cmd: 'start', ...}, {cmd: 'stats'},
// {cmd: 'quiet'}, {cmd: 'produced'}, {cmd: 'stop'}. Messages out: {type: 'started', connected, failed,
// seconds}, {type: 'stats', ...}, and one of the command's name for each of the others ({type:
// 'produced', healthIds}; 'stopped' for stop).
import { createIdGenerator } from '../../../protocol/dist/index.js';
import { SimDevice } from './sim-device.mjs';

const mqtt = (await import('mqtt')).default;
const nextId = createIdGenerator();
/** @type {SimDevice[]} */
let devices = [];
let acks = new Map();
let configs = 0;

function onAck(kind, ms) {
  if (!acks.has(kind)) acks.set(kind, []);
  acks.get(kind).push(ms);
}

async function pool(items, n, fn) {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) {
        const k = i++;
        await fn(items[k], k);
      }
    }),
  );
}

process.on('message', async (m) => {
  if (m.cmd === 'start') {
    const t0 = performance.now();
    devices = m.creds.map(
      (creds, i) =>
        new SimDevice({ mqtt, creds, n: m.first + i, url: m.url, ca: m.ca, nextId, onAck, onConfig: () => configs++ }),
    );
    let failed = 0;
    const start = async (d) => {
      try {
        await d.connect({ inventory: m.inventory });
        if (m.heartbeatSeconds) d.startHeartbeat(m.heartbeatSeconds);
      } catch (err) {
        failed++;
        if (failed <= 3) process.stderr.write(`sim: device ${d.n}: ${err.message}\n`);
      }
    };
    if (m.spreadSeconds > 0) {
      // Each device at a uniformly random moment of the window (machines switched on through the morning).
      await Promise.all(
        devices.map((d) =>
          new Promise((r) => setTimeout(r, Math.random() * m.spreadSeconds * 1000)).then(() => start(d)),
        ),
      );
    } else {
      await pool(devices, m.concurrency ?? 50, start);
    }
    process.send({
      type: 'started',
      connected: devices.length - failed,
      failed,
      seconds: (performance.now() - t0) / 1000,
    });
  } else if (m.cmd === 'stats') {
    const out = Object.fromEntries(acks);
    const connected = devices.filter((d) => d.client?.connected).length;
    const pending = devices.reduce((a, d) => a + d.pending, 0);
    // Infinity does not survive IPC's JSON: null when nothing is pending.
    const oldest = devices.reduce((a, d) => Math.min(a, d.oldestPendingAt), Number.POSITIVE_INFINITY);
    const oldestPendingAt = Number.isFinite(oldest) ? oldest : null;
    process.send({ type: 'stats', acks: out, connected, pending, oldestPendingAt, configs });
    acks = new Map();
    configs = 0;
  } else if (m.cmd === 'quiet') {
    for (const d of devices) d.stopHeartbeat();
    process.send({ type: 'quiet' });
  } else if (m.cmd === 'produced') {
    process.send({ type: 'produced', healthIds: devices.flatMap((d) => d.healthIds) });
  } else if (m.cmd === 'stop') {
    await Promise.all(devices.map((d) => d.stop()));
    process.send({ type: 'stopped' });
    process.exit(0);
  }
});
