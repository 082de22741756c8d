// One simulated desktop for the fleet simulator (issue 9): a real MQTT/TLS connection with the device's
// own credentials, a retained `online` status, a full inventory at connection (varied packages and
// hardware, from the device's number), a health sample every `heartbeatSeconds` (with jitter), a report
// for every config it receives and an answer to every RPC. PUBACK latencies are kept per kind: the hub
// stores a message before it acknowledges it, so publish-to-PUBACK is the ingest-to-database latency as
// the device sees it.
import { createHash } from 'node:crypto';

const MODELS = [
  ['Dell Inc.', 'OptiPlex 7090'],
  ['Dell Inc.', 'Latitude 5420'],
  ['LENOVO', 'ThinkCentre M720q'],
  ['LENOVO', 'ThinkPad T14 Gen 2'],
  ['HP', 'EliteDesk 800 G6'],
  ['HP', 'ProBook 450 G8'],
];
const PACKAGE_POOL = Array.from({ length: 3_000 }, (_, i) => `paquet-${i.toString(36)}`);

/** A seeded pseudo-random sequence, so that device N always looks the same. */
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

const hash = (data) => createHash('sha256').update(JSON.stringify(data)).digest('hex');

/** A full inventory message for device `n`: 900 to 1,900 packages out of a pool of 3,000. */
export function simulatedInventory(n, id, hostname) {
  const r = rng(n + 1);
  const [manufacturer, model] = MODELS[n % MODELS.length];
  const count = 900 + Math.floor(r() * 1_000);
  const start = Math.floor(r() * PACKAGE_POOL.length);
  const packages = Array.from({ length: count }, (_, i) => ({
    name: PACKAGE_POOL[(start + i * 7) % PACKAGE_POOL.length],
    version: `${1 + (i % 9)}.${(n + i) % 20}.${i % 5}-1`,
    arch: 'amd64',
    source: 'dpkg',
    origin: 'Ubuntu Developers',
  }));
  const hardware = {
    manufacturer,
    model,
    serial: `SIM${String(n).padStart(7, '0')}`,
    bios: { vendor: manufacturer, version: `1.${n % 30}.0`, uefi: true },
    baseboard: {},
    cpu: { manufacturer: 'Intel', brand: 'Core i5-10500', cores: 12, physicalCores: 6 },
    memory: { totalBytes: (8 + (n % 3) * 8) * 2 ** 30, modules: [] },
    disks: [],
  };
  const os = {
    platform: 'linux',
    distro: n % 5 === 0 ? 'Ubuntu' : 'Zorin OS',
    release: n % 5 === 0 ? '24.04' : '17.2',
    codename: n % 5 === 0 ? 'noble' : 'jammy',
    kernel: '6.8.0-48-generic',
    arch: 'x64',
    hostname,
  };
  const software = { packages, updates: { count: n % 7, security: n % 3, pending: [] } };
  const section = (data) => ({ hash: hash(data), data });
  return {
    v: 1,
    id,
    ts: new Date().toISOString(),
    kind: 'full',
    sections: { hardware: section(hardware), os: section(os), software: section(software) },
  };
}

/**
 * A delta inventory for device `n` as the agent's light poll sends it when the volatile sections changed
 * (agent/src/daemon/agent-daemon.ts, VOLATILE_SECTIONS): the network and the users, about 1 KB, no
 * packages. `t` (ms) makes the address lease and the sign-in time differ from one delta to the next.
 */
export function simulatedDelta(n, id, t) {
  const hex = (k) => (k & 0xff).toString(16).padStart(2, '0');
  const network = {
    interfaces: [
      {
        name: 'enp1s0',
        mac: `02:00:00:00:${hex(n >> 8)}:${hex(n)}`,
        ipv4: [`10.${(n >> 16) & 0xff}.${(n >> 8) & 0xff}.${n & 0xff}`],
        ipv6: [`fe80::${(n & 0xffff).toString(16)}`],
        type: 'wired',
        speedMbps: 1000,
        up: true,
        virtual: false,
      },
    ],
    defaultGateway: '10.0.0.1',
    defaultInterface: 'enp1s0',
    dnsServers: ['10.0.0.53'],
  };
  const user = `agent${n % 500}`;
  const at = new Date(t).toISOString();
  const users = {
    accounts: [{ name: user, uid: 1000, fullName: `Agent ${n % 500}`, home: `/home/${user}`, shell: '/bin/bash' }],
    loggedIn: [{ name: user, type: 'x11', remote: false, since: at }],
    lastLogins: [{ name: user, terminal: 'tty7', host: '', at }],
    domainUsers: [],
  };
  const section = (data) => ({ hash: hash(data), data });
  return { v: 1, id, ts: at, kind: 'delta', sections: { network: section(network), users: section(users) } };
}

export function healthSample(n, t) {
  return {
    ts: new Date(t).toISOString(),
    load1: (n % 10) / 10,
    load5: 0.3,
    load15: 0.2,
    cpuCount: 4,
    memTotalBytes: 16 * 2 ** 30,
    memUsedBytes: (4 + (n % 8)) * 2 ** 30,
    swapTotalBytes: 2 * 2 ** 30,
    swapUsedBytes: 0,
    uptimeSeconds: Math.floor(t / 1000) % 86_400,
    disks: [{ mount: '/', fs: 'ext4', sizeBytes: 256e9, usedBytes: (60 + (n % 30)) * 1e9 }],
  };
}

export class SimDevice {
  /**
   * @param {object} o
   * @param {any} o.mqtt the mqtt module
   * @param {{deviceId: string, secret: string, configRevision?: number}} o.creds configRevision: the
   *   config revision the device applied before (kept on disk by an agent), if any
   * @param {number} o.n the device's number in the fleet
   * @param {string} o.url mqtts://127.0.0.1:PORT
   * @param {string} o.ca
   * @param {() => string} o.nextId
   * @param {(kind: string, ms: number) => void} o.onAck
   */
  constructor(o) {
    Object.assign(this, o);
    this.timer = undefined;
    this.client = undefined;
    this.configRevision = o.creds.configRevision;
    /** When each message published and not yet acknowledged was (Date.now()); mqtt.js keeps them. */
    this.inflight = new Set();
    /** Ids of the health messages this device produced, to count them against what the hub stored. */
    this.healthIds = [];
  }

  topic(kind) {
    return `bascule/v1/d/${this.creds.deviceId}/${kind}`;
  }

  /**
   * `inventory`: what the device sends after its `online` status: 'full' (its whole inventory, as an
   * agent does when it starts), 'delta' (the small network and users delta of simulatedDelta) or 'none'.
   */
  async connect({ inventory = 'full' } = {}) {
    const c = await this.mqtt.connectAsync(this.url, {
      ca: this.ca,
      clientId: this.creds.deviceId,
      username: this.creds.deviceId,
      password: this.creds.secret,
      protocolVersion: 4,
      keepalive: 60,
      reconnectPeriod: 1_000 + Math.floor(Math.random() * 4_000),
      connectTimeout: 120_000,
      clean: false,
      will: {
        topic: this.topic('status'),
        payload: Buffer.from(
          JSON.stringify({ v: 1, id: this.nextId(), ts: new Date().toISOString(), state: 'offline' }),
        ),
        qos: 1,
        retain: true,
      },
    });
    this.client = c;
    c.on('message', (topic, payload) => this.onMessage(topic, payload));
    await c.subscribeAsync([this.topic('config'), this.topic('rpc/req')], { qos: 1 });
    await this.publish('status', { v: 1, id: this.nextId(), ts: new Date().toISOString(), state: 'online' }, true);
    if (inventory === 'full') await this.sendFullInventory();
    else if (inventory === 'delta') await this.publish('inventory', simulatedDelta(this.n, this.nextId(), Date.now()));
  }

  sendFullInventory() {
    return this.publish('inventory', simulatedInventory(this.n, this.nextId(), `sim-pc-${this.n}`));
  }

  /** Heartbeats every `seconds`, the first one at a random point of the period (no thundering herd). */
  startHeartbeat(seconds) {
    // Published while the broker is away too: mqtt.js (QoS 1, clean: false) keeps the message and sends
    // it again after reconnecting until it is acknowledged.
    const beat = () => {
      const t = Date.now();
      const id = this.nextId();
      this.healthIds.push(id);
      this.publish('health', { v: 1, id, ts: new Date(t).toISOString(), samples: [healthSample(this.n, t)] });
    };
    this.timer = setTimeout(
      () => {
        beat();
        this.timer = setInterval(beat, seconds * 1000);
      },
      Math.random() * seconds * 1000,
    );
  }

  publish(kind, message, retain = false) {
    const t0 = performance.now();
    const entry = { at: Date.now() };
    this.inflight.add(entry);
    return this.client
      .publishAsync(this.topic(kind), JSON.stringify(message), { qos: 1, retain })
      .then(() => this.onAck(kind, performance.now() - t0))
      .catch(() => this.onAck(`${kind}:failed`, performance.now() - t0))
      .finally(() => this.inflight.delete(entry));
  }

  /** Messages published and not yet acknowledged. */
  get pending() {
    return this.inflight.size;
  }

  /** When the oldest of them was published (Date.now()), or Infinity. */
  get oldestPendingAt() {
    let oldest = Number.POSITIVE_INFINITY;
    for (const e of this.inflight) oldest = Math.min(oldest, e.at);
    return oldest;
  }

  onMessage(topic, payload) {
    let msg;
    try {
      msg = JSON.parse(payload.toString());
    } catch {
      return;
    }
    if (topic.endsWith('/config')) {
      // As the agent (agent/src/config/config-applier.ts): the retained config comes again at each
      // connection, and a revision already stored is neither applied nor reported again.
      if (this.configRevision !== undefined && msg.revision <= this.configRevision) return;
      const modules = {};
      for (const [name, m] of Object.entries(msg.modules ?? {})) {
        modules[name] = {
          policyId: m.policyId,
          policyRevision: m.policyRevision,
          status: 'applied',
          steps: [],
          at: new Date().toISOString(),
        };
      }
      this.configRevision = msg.revision;
      this.onConfig?.(msg);
      this.publish('report', {
        v: 1,
        id: this.nextId(),
        ts: new Date().toISOString(),
        revision: msg.revision,
        modules,
      });
    } else if (topic.endsWith('/rpc/req')) {
      const ok = msg.method === 'inventory.refresh';
      const res = ok
        ? {
            v: 1,
            id: this.nextId(),
            ts: new Date().toISOString(),
            reqId: msg.id,
            ok: true,
            result: { deferred: false },
          }
        : {
            v: 1,
            id: this.nextId(),
            ts: new Date().toISOString(),
            reqId: msg.id,
            ok: false,
            error: { code: 'unknown-method', message: `the simulator has no ${msg.method}` },
          };
      this.client.publish(this.topic('rpc/res'), JSON.stringify(res), { qos: 1 });
    }
  }

  /** No more heartbeats; the connection stays and what is pending is still sent. */
  stopHeartbeat() {
    clearTimeout(this.timer);
    clearInterval(this.timer);
  }

  async stop() {
    this.stopHeartbeat();
    await this.client?.endAsync(true).catch(() => {});
  }
}
