// Floor reference for the agent daemon: the least a Node agent can be — mqtt.js 5 over TLS, one
// health message every N seconds built from node:os, nothing else (no inventory, no outbox, no
// state files), mqtt.js writeCache off. Usage: node minimal-agent.mjs MQTT_URL DEVICE_ID SECRET CA_FILE [SECONDS]
import { readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem, uptime } from 'node:os';
import mqtt from 'mqtt';
import { ulid } from 'ulid';

const [url, id, secret, caFile, seconds = '60'] = process.argv.slice(2);
const client = mqtt.connect(url, {
  ca: readFileSync(caFile),
  clientId: id,
  username: id,
  password: secret,
  protocolVersion: 4,
  // No 65,536-entry packet-id Buffer cache (see no-write-cache.mjs): this is the floor.
  writeCache: false,
});
const beat = () => {
  const [load1, load5, load15] = loadavg();
  const ts = new Date().toISOString();
  const sample = {
    ts,
    load1,
    load5,
    load15,
    cpuCount: cpus().length,
    memTotalBytes: totalmem(),
    memUsedBytes: totalmem() - freemem(),
    swapTotalBytes: 0,
    swapUsedBytes: 0,
    uptimeSeconds: uptime(),
    disks: [],
  };
  client.publish(`bascule/v1/d/${id}/health`, JSON.stringify({ v: 1, id: ulid(), ts, samples: [sample] }), { qos: 1 });
};
client.on('connect', beat);
client.on('error', (err) => process.stderr.write(`minimal-agent: ${err.message}\n`));
setInterval(beat, Number(seconds) * 1000);
process.on('SIGTERM', () => client.end(false, () => process.exit(0)));
