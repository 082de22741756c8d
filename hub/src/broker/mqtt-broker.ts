import tls from 'node:tls';
import { DEVICE_ID_PATTERN, MAX_PAYLOAD_BYTES, parseDeviceTopic } from '@bascule/protocol';
import type { AuthenticateError, Client, PublishPacket } from 'aedes';
import type { Clock } from '../core/clock.js';
import { isDiskFull } from '../core/disk-full.js';
import { KeyedSerialQueue } from '../core/keyed-serial-queue.js';
import type { Logger } from '../core/logger.js';
import type { DeviceRepository } from '../devices/device.repository.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Pki } from '../pki/pki.js';
import { type BrokerBackend, inMemoryBackend } from './broker-backend.js';
import { ClusterPresence, type Emitter, type EmitterPacket } from './cluster-presence.js';
import { decidePublish, maySubscribe } from './device-acl.js';
import type { DeviceAuthenticator } from './device-authenticator.js';
import type { DevicePublisher, PublishOptions } from './device-link.js';
import type { IngestService } from './ingest.service.js';
import { RefusingAedes } from './refusing-aedes.js';

/** Connection-level refusal codes of MQTT 3.1.1 CONNACK. */
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function authError(message: string, code: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: code }) as AuthenticateError;
}

/** Live traffic that is relayed rather than stored: RPC answers and terminal output. */
export interface DeviceStreams {
  onRpcResponse(deviceId: string, payload: Buffer): void;
  onTerminalFrame(deviceId: string, sid: string, payload: Buffer): void;
  onDeviceDisconnected(deviceId: string): void;
}

/** The device id the broker authenticated for this client (set in `authenticate`). */
const deviceIdOf = (client: Client | null): string | undefined =>
  (client as (Client & { deviceId?: string }) | null)?.deviceId;

/** aedes's heartbeat on `$SYS/{id}/heartbeat` (its default): other hubs count a hub gone after three missed. */
const HEARTBEAT_MS = 60_000;
const LISTEN_BACKLOG = 4096;

/** Relayed device traffic, heard on the emitter so that it reaches every hub of a cluster. */
const RPC_RESPONSES = 'bascule/v1/d/+/rpc/res';
const TERMINAL_OUTPUT = 'bascule/v1/d/+/term/+/out';

/** A dead hub's will, published by a surviving hub (aedes keeps wills in the shared persistence). */
const foreignWillOf = (packet: PublishPacket, selfId: string): boolean => {
  const brokerId = (packet as PublishPacket & { brokerId?: string }).brokerId;
  return brokerId !== undefined && brokerId !== selfId;
};

/** What `authorizePublish` decided for one device message that it did not refuse with an error. */
type Verdict = 'deliver' | 'drop';

/**
 * The embedded MQTT broker (aedes) on TLS. Every client is a device: username = device id,
 * password = device secret, client id = device id. A device publishes and subscribes only below its
 * own prefix. Device messages are stored in `authorizePublish`, before aedes sends the PUBACK, so an
 * acknowledged message is in the database. A message refused without closing the connection (unknown
 * topic, too large) is logged, acknowledged so that the device's outbox lets it go, and dropped: it
 * never reaches the emitter, so neither the relays (RPC answers, terminal output) nor another hub.
 */
export class MqttBroker implements DevicePublisher {
  private aedes?: RefusingAedes;
  private server?: tls.Server;
  private presence?: ClusterPresence;
  /** A device's online/offline writes in the order its connections came and went (a pool reorders them). */
  private readonly presenceWrites = new KeyedSerialQueue();

  constructor(
    private readonly pki: Pki,
    private readonly auth: DeviceAuthenticator,
    private readonly ingest: IngestService,
    private readonly devices: DeviceRepository,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
    private readonly streams: DeviceStreams,
    /** In memory (one hub), or Redis shared by several hubs (`serve --redis-url`). */
    private readonly backend: BrokerBackend = inMemoryBackend(),
  ) {}

  get connectedClients(): number {
    return this.aedes?.connectedClients ?? 0;
  }

  async start(host: string, port: number): Promise<number> {
    const aedes = await RefusingAedes.start({
      mq: this.backend.mq,
      // No bound on deliveries in flight in aedes's own emitter: past its default of 100, mqemitter
      // queues the rest and drains the queue by recursion, one stack frame chain per message that
      // completes at once (no subscriber). A fleet-wide config save (10,000 publications in one tick)
      // overflowed the stack and crashed the hub. The bound bought nothing: its queue is unbounded.
      concurrency: 0,
      persistence: this.backend.persistence,
      heartbeatInterval: HEARTBEAT_MS,
      authenticate: (client, username, password, done) => {
        this.authenticate(client, username, password).then(
          () => done(null, true),
          (err: AuthenticateError) => done(err, false),
        );
      },
      authorizePublish: (client, packet, done) => {
        // Only `status` is retained; a device must not make the broker keep anything else.
        if (packet.retain && !packet.topic.endsWith('/status')) packet.retain = false;
        const verdict = foreignWillOf(packet, aedes.id)
          ? this.foreignWill(packet.topic, packet.payload as Buffer)
          : this.authorizePublish(client, packet.topic, packet.payload as Buffer);
        verdict.then(
          (v) => {
            if (v === 'drop') aedes.refuse(packet);
            done(null);
          },
          (err: Error) => {
            // Not stored, so not acknowledged: the connection closes and the device sends it again later.
            if (isDiskFull(err)) {
              this.metrics.inc('bascule_mqtt_refused_total', { reason: 'disk_full' });
              this.logger.error("device message not stored: the hub's disk is full; the device will send it again", {
                deviceId: deviceIdOf(client),
                topic: packet.topic,
                error: err,
              });
            }
            done(err);
          },
        );
      },
      authorizeSubscribe: (client, sub, done) => {
        const deviceId = deviceIdOf(client);
        if (deviceId && maySubscribe(deviceId, sub.topic)) return done(null, sub);
        this.logger.warn('subscription refused', { deviceId, topic: sub.topic });
        this.metrics.inc('bascule_mqtt_refused_total', { reason: 'subscribe_acl' });
        done(null, null); // SUBACK 0x80: refused, connection kept
      },
      // Devices never receive each other's messages; only hub-published ones reach them.
      authorizeForward: (client, packet) => {
        const deviceId = deviceIdOf(client);
        return deviceId && maySubscribe(deviceId, packet.topic) ? packet : null;
      },
    });
    const presence = new ClusterPresence(
      aedes.id,
      HEARTBEAT_MS,
      () => this.clock.now().getTime(),
      (deviceId) => this.streams.onDeviceDisconnected(deviceId),
    );
    const mq = (aedes as unknown as { mq: Emitter }).mq;
    await Promise.all([
      presence.listen(mq),
      listen(mq, RPC_RESPONSES, (p) => this.streams.onRpcResponse(topicDevice(p.topic), asBuffer(p.payload))),
      listen(mq, TERMINAL_OUTPUT, (p) =>
        this.streams.onTerminalFrame(topicDevice(p.topic), p.topic.split('/')[5] ?? '', asBuffer(p.payload)),
      ),
    ]);
    this.presence = presence;
    aedes.on('clientReady', (client) => this.onConnected(client));
    aedes.on('clientDisconnect', (client) => this.onDisconnected(client));
    aedes.on('clientError', (client, err) =>
      this.logger.info('mqtt client error', { deviceId: deviceIdOf(client), error: err.message }),
    );
    aedes.on('connectionError', (_client, err) => this.logger.info('mqtt connection error', { error: err.message }));
    this.aedes = aedes;

    const server = tls.createServer(
      // noDelay: terminal keystrokes and echoes are tiny packets; with Nagle each waits ~40 ms for the
      // peer's delayed ACK (measured in docs/performance.md).
      { cert: this.pki.serverCertChainPem, key: this.pki.serverKeyPem, minVersion: 'TLSv1.2', noDelay: true },
      (socket) => aedes.handle(socket),
    );
    server.on('tlsClientError', (err) => this.metrics.inc('bascule_mqtt_tls_errors_total', { code: errCode(err) }));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // A restarted hub meets its whole fleet reconnecting at once: Node's default backlog (511) drops
      // the SYNs beyond it, and those devices retry only after their backoff (the kernel caps it at
      // net.core.somaxconn, 4096 on Debian 12).
      server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    const aedes = this.aedes;
    this.server = undefined;
    this.aedes = undefined;
    // Stop accepting, then let aedes close every client: the server's close completes only once its
    // last socket is gone.
    const serverClosed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await serverClosed;
    this.presence = undefined;
    await this.backend.close();
  }

  publish(topic: string, payload: Buffer, qos: 0 | 1, options: PublishOptions = {}): Promise<void> {
    const aedes = this.aedes;
    if (!aedes) return Promise.reject(new Error('the MQTT broker is not running'));
    const retain = options.retain === true;
    this.metrics.inc('bascule_mqtt_messages_published_total', { kind: publishedKind(topic) });
    const packet = { cmd: 'publish', topic, payload, qos, retain, dup: false } as PublishPacket;
    return new Promise((resolve, reject) => aedes.publish(packet, (err) => (err ? reject(err) : resolve())));
  }

  isConnected(deviceId: string): boolean {
    const clients = (this.aedes as unknown as { clients?: Record<string, Client> } | undefined)?.clients;
    const client = clients?.[deviceId];
    if (client !== undefined && deviceIdOf(client) === deviceId) return true;
    return this.presence?.heldElsewhere(deviceId) ?? false;
  }

  /**
   * The last will of a device whose hub died, published by this hub minutes later: the device is
   * offline unless it has reconnected since (here or to another hub).
   */
  private async foreignWill(topic: string, payload: Buffer): Promise<Verdict> {
    const deviceId = topicDevice(topic);
    if (!DEVICE_ID_PATTERN.test(deviceId) || !topic.endsWith('/status') || this.isConnected(deviceId)) return 'deliver';
    this.logger.info('device offline: its hub stopped without closing the connection', { deviceId });
    await this.ingest.ingest(deviceId, 'status', payload);
    return 'deliver';
  }

  private async authenticate(client: Client, username?: string, password?: Buffer): Promise<void> {
    if (!username || !password || !DEVICE_ID_PATTERN.test(username)) {
      this.metrics.inc('bascule_mqtt_refused_total', { reason: 'bad_credentials' });
      throw authError('device id and secret required', BAD_USERNAME_OR_PASSWORD);
    }
    if (client.id !== username) {
      this.metrics.inc('bascule_mqtt_refused_total', { reason: 'client_id' });
      this.logger.warn('mqtt connection refused: client id differs from device id', { deviceId: username });
      throw authError('client id must be the device id', NOT_AUTHORIZED);
    }
    if (!(await this.auth.verify(username, password.toString('utf8')))) {
      this.metrics.inc('bascule_mqtt_refused_total', { reason: 'bad_credentials' });
      this.logger.warn('mqtt connection refused: unknown device or wrong secret', { deviceId: username });
      throw authError('unknown device or wrong secret', BAD_USERNAME_OR_PASSWORD);
    }
    (client as Client & { deviceId?: string }).deviceId = username;
  }

  /** Stores a device message, or says it is dropped (`drop`); throws to close the connection. */
  private async authorizePublish(client: Client | null, topic: string, payload: Buffer): Promise<Verdict> {
    if (!client) return 'deliver'; // the broker's own publications
    const deviceId = deviceIdOf(client);
    if (!deviceId) throw new Error('unauthenticated client');
    const decision = decidePublish(deviceId, topic);
    if (!decision.allow) {
      this.metrics.inc('bascule_mqtt_refused_total', { reason: decision.disconnect ? 'publish_acl' : 'unknown_topic' });
      this.logger.warn('device publish refused', { deviceId, topic, reason: decision.reason });
      if (decision.disconnect) throw new Error(decision.reason);
      return 'drop';
    }
    if (payload.length > MAX_PAYLOAD_BYTES) {
      this.metrics.inc('bascule_mqtt_refused_total', { reason: 'too_large' });
      this.logger.warn('device publish refused', {
        deviceId,
        topic,
        reason: `payload of ${payload.length} bytes, more than ${MAX_PAYLOAD_BYTES}`,
      });
      return 'drop';
    }
    switch (decision.kind) {
      case 'term/out':
      case 'rpc/res':
        // Relayed, not stored: aedes hands it to the emitter, whose listeners (on every hub of a
        // cluster) pass it to the hub that waits for it (`start`).
        return 'deliver';
      default: {
        const started = process.hrtime.bigint();
        await this.ingest.ingest(deviceId, decision.kind, payload);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.metrics.observe('bascule_ingest_duration_seconds', { kind: decision.kind }, seconds);
        return 'deliver';
      }
    }
  }

  private onConnected(client: Client): void {
    const deviceId = deviceIdOf(client);
    if (!deviceId) return;
    this.metrics.inc('bascule_mqtt_connections_total');
    const at = this.clock.now().toISOString();
    this.presenceWrites
      .run(deviceId, () => this.devices.setOnline(deviceId, true, at))
      .catch((err: Error) => this.logger.error('could not mark device online', { deviceId, error: err }));
  }

  private onDisconnected(client: Client): void {
    const deviceId = deviceIdOf(client);
    if (!deviceId) return;
    // A reconnect may already have replaced this client (session takeover): then the device is online.
    const clients = (this.aedes as unknown as { clients?: Record<string, Client> } | undefined)?.clients;
    const current = clients?.[client.id];
    if (current && current !== client) return;
    // Taken over by a connection to another hub of the cluster: still online.
    if (this.presence?.heldElsewhere(deviceId)) return;
    this.streams.onDeviceDisconnected(deviceId);
    const at = this.clock.now().toISOString();
    this.presenceWrites
      .run(deviceId, () => this.devices.setOnline(deviceId, false, at))
      .catch((err: Error) => this.logger.error('could not mark device offline', { deviceId, error: err }));
  }
}

/** `config`, `rpc/req`, `term/in`: the kind of a hub publication, without ids (a bounded label set). */
function publishedKind(topic: string): string {
  const kind = parseDeviceTopic(topic)?.kind ?? 'other';
  return kind.startsWith('term/') ? 'term/in' : kind;
}

/** Subscribes `handle` on the emitter; resolves once the subscription holds. */
function listen(mq: Emitter, topic: string, handle: (packet: EmitterPacket) => void): Promise<void> {
  return new Promise((resolve) =>
    mq.on(
      topic,
      (packet, done) => {
        handle(packet);
        done();
      },
      () => resolve(),
    ),
  );
}

/** `bascule/v1/d/{deviceId}/…` → deviceId. */
const topicDevice = (topic: string): string => topic.split('/')[3] ?? '';

const asBuffer = (payload: Buffer | string): Buffer => (Buffer.isBuffer(payload) ? payload : Buffer.from(payload));

function errCode(err: Error): string {
  return (err as NodeJS.ErrnoException).code ?? 'unknown';
}
