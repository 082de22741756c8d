import https from 'node:https';
import {
  createIdGenerator,
  deviceTopic,
  eventMessageSchema,
  healthMessageSchema,
  inventoryEnvelopeSchema,
  reportMessageSchema,
  statusMessageSchema,
} from '@bascule/protocol';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connectAs, readIdentity, type StoredIdentity } from './support/device-client.js';
import { HOSTILE_STRINGS, hostilePayload, Rng } from './support/fuzz-values.js';
import { AGENT_BIN, AgentProcess, adminClient, type HubProcess, runNode, startHub, tempDir } from './support/index.js';
import { hubRoutes, type RestRoute } from './support/rest-routes.js';

/*
 * The fuzzing harness of issue 9: every MQTT topic a device publishes on and every REST route of the
 * hub (read from its controllers), fed malformed, truncated, oversized, wrongly typed, deeply nested
 * messages and SQL or path-traversal strings, from a fixed seed (FUZZ_SEED to replay another run,
 * FUZZ_CASES to change the count). One real hub process takes them all. It must stay up, answer every
 * request without a 5xx, keep its memory flat, count every device message as stored, duplicate or
 * refused, and log each refusal with its reason.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);
const MQTT_CASES = Number(process.env.FUZZ_MQTT_CASES ?? 60_000);
const REST_CASES = Number(process.env.FUZZ_REST_CASES ?? 40_000);
const MQTT_KINDS = (process.env.FUZZ_KINDS?.split(',') ?? [
  'status',
  'health',
  'inventory',
  'report',
  'event',
]) as readonly ('status' | 'health' | 'inventory' | 'report' | 'event')[];

interface Failure {
  n: number;
  what: string;
  detail: string;
}

const mib = (kib: number[]) => kib.map((k) => `${Math.round(k / 1024)} MiB`).join(' → ');

/** The hub's memory in KiB: resident, V8's heap (room included), and what the heap holds after a full collection. */
interface MemorySample {
  rss: number;
  heapTotal: number;
  live: number;
}

/**
 * The hub's own inspector (`--inspect=127.0.0.1:0`), asked for a full collection and then for
 * `process.memoryUsage()`: objects the hub keeps, apart from the room V8 gives its heap between
 * collections, which alone makes RSS climb for the first 140,000 REST cases (docs/performance.md).
 */
class HubInspector {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString('utf8')) as { id?: number; result?: unknown; error?: { message: string } };
      const w = m.id === undefined ? undefined : this.waiting.get(m.id);
      if (!w || m.id === undefined) return;
      this.waiting.delete(m.id);
      if (m.error) w.reject(new Error(`hub inspector: ${m.error.message}`));
      else w.resolve(m.result);
    });
    ws.on('close', () => {
      for (const w of this.waiting.values()) w.reject(new Error('hub inspector: connection closed'));
      this.waiting.clear();
    });
  }

  /** Connects to the inspector whose address the hub printed on stderr. */
  static async attach(stderr: string[]): Promise<HubInspector> {
    const url = stderr.join('\n').match(/Debugger listening on (ws:\/\/\S+)/)?.[1];
    if (!url) throw new Error(`the hub printed no inspector address; stderr: ${stderr.join('\n').slice(0, 500)}`);
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new HubInspector(ws);
  }

  async sample(): Promise<MemorySample> {
    await this.call('HeapProfiler.collectGarbage');
    const r = (await this.call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })) as { result: { value: string } };
    const u = JSON.parse(r.result.value) as { rss: number; heapTotal: number; heapUsed: number };
    return { rss: u.rss / 1024, heapTotal: u.heapTotal / 1024, live: u.heapUsed / 1024 };
  }

  close(): void {
    this.ws.close();
  }

  private call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }
}

/** Percent-encoding that also sends a lone surrogate, as the invalid UTF-8 bytes a hostile client would. */
function encodePart(value: string): string {
  const lone = /[\ud800-\udfff]/.test(value.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));
  return lone ? `${encodeURIComponent(value.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80` : encodeURIComponent(value);
}

function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).some(([k, v]) => !line.includes(`${k}="${v}"`))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

describe('hostile input: fuzzing every MQTT topic handler and every REST route', () => {
  let hub: HubProcess;
  let identity: StoredIdentity;
  let cookie = '';
  const agent = new https.Agent({ keepAlive: true, maxSockets: 8, rejectUnauthorized: false });
  let inspector: HubInspector;
  /** The hub's memory, per phase: every RSS_EVERY cases (and at the MQTT phase's end). */
  const memory: Record<'mqtt' | 'rest', MemorySample[]> = { mqtt: [], rest: [] };
  /** Cases between two memory samples of the hub. */
  const RSS_EVERY = 2_000;
  const rss = (phase: 'mqtt' | 'rest') => memory[phase].map((m) => m.rss);
  const failures: Failure[] = [];
  const nextId = createIdGenerator();

  beforeAll(async () => {
    // Only the hub gets an inspector (loopback, a port the OS chooses): the agent below does not.
    const nodeOptions = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = `${nodeOptions ?? ''} --inspect=127.0.0.1:0`.trim();
    try {
      hub = await startHub();
    } finally {
      if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = nodeOptions;
    }
    inspector = await HubInspector.attach(hub.proc.stderr);
    const device = await new AgentProcess(hub, tempDir('fuzz-device'), 1).enroll('Informatique');
    identity = readIdentity(device.stateDir);
    const api = await adminClient(hub);
    cookie = api.cookie;
  });

  afterAll(async () => {
    inspector?.close();
    agent.destroy();
    await hub?.stop();
  });

  function request(method: string, path: string, body?: Buffer, withCookie = true): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        new URL(path, hub.url),
        {
          method,
          agent,
          headers: {
            ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}),
            ...(withCookie ? { cookie } : {}),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async function metrics(): Promise<string> {
    return new Promise((resolve, reject) => {
      https
        .get(new URL('/metrics', hub.url), { agent }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
  }

  it('takes 60,000 hostile device messages: every one stored, duplicate or refused with a reason', async () => {
    const inv = await runNode([AGENT_BIN, 'inventory', '--json']);
    expect(inv.code, inv.stderr).toBe(0);
    const sections = JSON.parse(inv.stdout) as Record<string, { data?: { packages?: unknown[] } }>;
    const software = sections.software?.data;
    if (software?.packages) software.packages = software.packages.slice(0, 20);
    const now = () => new Date().toISOString();
    const valid: Record<(typeof MQTT_KINDS)[number], () => unknown> = {
      status: () => ({ v: 1, id: nextId(), ts: now(), state: 'online', agentVersion: '0.1.0' }),
      health: () => ({
        v: 1,
        id: nextId(),
        ts: now(),
        samples: [
          {
            ts: now(),
            load1: 0.1,
            load5: 0.2,
            load15: 0.3,
            cpuCount: 2,
            memTotalBytes: 8e9,
            memUsedBytes: 2e9,
            swapTotalBytes: 0,
            swapUsedBytes: 0,
            uptimeSeconds: 60,
            disks: [{ mount: '/', sizeBytes: 1e11, usedBytes: 5e10 }],
          },
        ],
      }),
      inventory: () => ({ v: 1, id: nextId(), ts: now(), kind: 'full', sections }),
      report: () => ({
        v: 1,
        id: nextId(),
        ts: now(),
        revision: 1,
        modules: { printers: { policyId: 'p', policyRevision: 1, status: 'applied', steps: [], at: now() } },
      }),
      event: () => ({
        v: 1,
        id: nextId(),
        ts: now(),
        events: [
          { type: 'antivirus.scan.started', ts: now(), data: { scanId: 's1', trigger: 'scheduled', paths: ['/home'] } },
        ],
      }),
    };

    // The mutations start from messages the hub stores, so that they probe past the first check.
    const schemas = {
      status: statusMessageSchema,
      health: healthMessageSchema,
      inventory: inventoryEnvelopeSchema,
      report: reportMessageSchema,
      event: eventMessageSchema,
    } as const;
    for (const kind of MQTT_KINDS) {
      const r = schemas[kind].safeParse(valid[kind]());
      expect(r.success, `${kind}: ${JSON.stringify(r.error?.issues.slice(0, 2))}`).toBe(true);
    }

    const before = await metrics();
    const sent: Record<string, number> = {};
    const rng = new Rng(SEED);
    let client: MqttClient = await connectAs(identity);
    let reconnects = 0;
    const batch: Promise<unknown>[] = [];
    for (let n = 0; n < MQTT_CASES; n++) {
      const kind = MQTT_KINDS[n % MQTT_KINDS.length] as (typeof MQTT_KINDS)[number];
      const { body } = hostilePayload(valid[kind](), rng);
      sent[kind] = (sent[kind] ?? 0) + 1;
      batch.push(
        client.publishAsync(deviceTopic(identity.deviceId, kind), body, { qos: 1 }).catch((err: Error) => {
          failures.push({ n, what: `mqtt ${kind}`, detail: err.message });
        }),
      );
      if (batch.length >= 200) {
        await Promise.all(batch.splice(0));
        if (!client.connected) {
          reconnects++;
          client = await connectAs(identity);
        }
      }
      if (n % RSS_EVERY === RSS_EVERY - 1) memory.mqtt.push(await inspector.sample());
    }
    await Promise.all(batch.splice(0));
    // A hostile topic in the device's own prefix: acknowledged and dropped; a retained config: not kept.
    await client.publishAsync(deviceTopic(identity.deviceId, 'config'), Buffer.from('{"revision":999}'), {
      qos: 1,
      retain: true,
    });
    await client.endAsync();
    memory.mqtt.push(await inspector.sample());

    expect(hub.proc.running).toBe(true);
    expect(failures).toEqual([]);
    expect(reconnects).toBe(0);
    // Every message the device sent was counted: by the ingest (stored, duplicate or rejected) or, over
    // the size limit, by the broker. Counters move once the last acknowledgements are out.
    const total = (m: string) =>
      metricSum(m, 'bascule_ingest_messages_total') +
      metricSum(m, 'bascule_mqtt_refused_total', { reason: 'too_large' });
    const expected = total(before) + MQTT_CASES;
    const deadline = Date.now() + 30_000;
    let after = await metrics();
    while (total(after) < expected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      after = await metrics();
    }
    expect(total(after), 'every message counted').toBe(expected);
    for (const kind of MQTT_KINDS) {
      const counted = (m: string) => metricSum(m, 'bascule_ingest_messages_total', { kind });
      expect(counted(after) - counted(before), `${kind} messages reached their handler`).toBeGreaterThan(0);
    }
    const refused =
      metricSum(after, 'bascule_ingest_messages_total', { outcome: 'rejected' }) -
      metricSum(before, 'bascule_ingest_messages_total', { outcome: 'rejected' });
    const logged = hub.proc.stdout.filter((l) => l.includes('"device message refused"') && l.includes('"reason":"'));
    expect(refused).toBeGreaterThan(MQTT_CASES / 2);
    expect(logged.length).toBeGreaterThanOrEqual(refused);
    console.log(
      `fuzz MQTT: ${MQTT_CASES} cases (seed ${SEED}), ${refused} refused with a logged reason; hub RSS ${mib(rss('mqtt'))}, live heap ${mib(memory.mqtt.map((m) => m.live))}`,
    );
  });

  it('takes 40,000 hostile REST requests on every route: no 5xx, every refusal logged', async () => {
    const routes = hubRoutes().filter(
      // Ending the fuzzer's own session would only turn the rest into 401s: those two are fuzzed anonymously.
      (r) => !(r.method === 'POST' && /\/auth\/(logout|password)$/.test(r.path)),
    );
    expect(routes.length).toBeGreaterThan(60);
    const anonymousOnly = new Set(['/api/v1/auth/logout', '/api/v1/auth/password', '/api/v1/auth/login']);
    const idPool = [identity.deviceId, '01JABCDEFGHJKMNPQRSTVWXYZ0', '1', '0'];
    const rng = new Rng(SEED + 1);
    const statuses = new Map<number, number>();
    const pathFor = (r: RestRoute) =>
      r.path.replace(/:(\w+)/g, () => {
        const v = rng.int(3) === 0 ? rng.pick(idPool) : rng.pick(HOSTILE_STRINGS) || 'x';
        // A DELETE never names the fuzzing device itself (the MQTT part is over, but keep it whole).
        return encodePart(r.method === 'DELETE' && v === identity.deviceId ? 'x' : v);
      });
    const query = () => {
      if (rng.int(3) !== 0) return '';
      const key = rng.pick(['sort', 'order', 'filter', 'range', 'q', 'page', 'perPage', 'from', 'to', 'format']);
      return `?${key}=${encodePart(rng.pick(HOSTILE_STRINGS))}&${key}=${encodePart('[1,"a"]')}`;
    };
    const base = { name: 'x', department: 'Informatique', modules: {}, role: 'viewer', username: 'fuzz' };
    const all = [...routes, ...[...anonymousOnly].map((path) => ({ method: 'POST' as const, path, file: '' }))];
    let inflight: Promise<void>[] = [];
    for (let n = 0; n < REST_CASES; n++) {
      const r = all[n % all.length] as RestRoute;
      const path = pathFor(r) + query();
      const payload = r.method === 'GET' || r.method === 'DELETE' ? undefined : hostilePayload(base, rng);
      const body = payload?.body;
      const anonymous = anonymousOnly.has(r.path) || rng.int(5) === 0;
      inflight.push(
        request(r.method, path, body, !anonymous).then(
          (status) => {
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status >= 500)
              failures.push({
                n,
                what: `${r.method} ${r.path}`,
                detail: `${status} for ${path} with a ${payload?.kind ?? 'no'} body ${body?.toString('utf8', 0, 160) ?? ''}`,
              });
          },
          (err: Error) => {
            failures.push({ n, what: `${r.method} ${r.path}`, detail: err.message });
          },
        ),
      );
      if (inflight.length >= 16) {
        await Promise.all(inflight);
        inflight = [];
      }
      if (n % RSS_EVERY === RSS_EVERY - 1) {
        await Promise.all(inflight.splice(0));
        memory.rest.push(await inspector.sample());
      }
    }
    await Promise.all(inflight);

    expect(hub.proc.running).toBe(true);
    expect(await request('GET', '/api/v1/health')).toBe(200);
    expect(failures.slice(0, 20)).toEqual([]);
    const refusedCount = [...statuses].filter(([s]) => s >= 400 && s < 500).reduce((a, [, c]) => a + c, 0);
    const logged = hub.proc.stdout.filter((l) => l.includes('"http request refused"') && l.includes('"reason":"'));
    expect(logged.length).toBeGreaterThanOrEqual(refusedCount);
    console.log(
      `fuzz REST: ${REST_CASES} cases on ${all.length} routes, statuses ${JSON.stringify(Object.fromEntries(statuses))}; hub RSS ${mib(rss('rest'))}, live heap ${mib(memory.rest.map((m) => m.live))}`,
    );
  });

  it('keeps its memory flat over the 100,000 cases (second half of each phase against its first)', () => {
    // Two measures, each the median of the last five samples against the median of the five up to the
    // middle of the phase, 20,000 REST cases apart (about 30,000 MQTT). What the JS heap holds after a
    // full collection: a leak of 200 bytes per case shows as 4 MiB (seen 0–1 MiB without one; a
    // 620-character string kept per request showed as 8 MiB). What the process holds outside V8's heap
    // (RSS − heapTotal: native memory, SQLite, TLS, buffers; seen 0–3 MiB): 600 bytes per case show as
    // 12 MiB. RSS itself also moves with the room V8 gives its heap, which grows for 140,000 REST cases
    // before it levels off (docs/performance.md): it is printed, not compared.
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const growth = (xs: number[]) => {
      const middle = Math.floor(xs.length / 2);
      return median(xs.slice(-5)) - median(xs.slice(middle - 5, middle));
    };
    for (const phase of ['mqtt', 'rest'] as const) {
      const samples = memory[phase];
      expect(samples.length, phase).toBeGreaterThanOrEqual(10);
      const live = growth(samples.map((m) => m.live));
      const native = growth(samples.map((m) => m.rss - m.heapTotal));
      console.log(
        `memory ${phase}: live heap ${(live / 1024).toFixed(1)} MiB, outside the heap ${(native / 1024).toFixed(1)} MiB over the second half`,
      );
      expect(live, `${phase}: live JS heap growth over the second half`).toBeLessThan(4 * 1024);
      expect(native, `${phase}: growth outside the JS heap over the second half`).toBeLessThan(12 * 1024);
    }
  });
});
