import type { StatusMessage } from '@bascule/protocol';
import {
  deviceTopic,
  encodePayload,
  type IdGenerator,
  PROTOCOL_VERSION,
  terminalInputFilter,
  terminalTopic,
} from '@bascule/protocol/runtime';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { Logger } from '../logging/logger.js';
import type { Clock, Timer } from '../system/clock.js';
import type { Backoff } from './backoff.js';

export type MqttConnect = (url: string, options: IClientOptions) => MqttClient;

export interface HubConnectionOptions {
  /** The hubs of the cluster (one for a single hub), tried in turn. */
  mqttUrls: readonly string[];
  caPem: string;
  deviceId: string;
  secret: string;
  agentVersion: string;
  /** A connection that lasted this long resets the backoff. */
  stableAfterMs: number;
}

export interface HubConnectionDeps {
  connect: MqttConnect;
  clock: Clock;
  backoff: Backoff;
  logger: Logger;
  ids: IdGenerator;
  onConnected: () => void;
  onDisconnected: () => void;
  /** A message on one of our subscriptions (`config`, `rpc/req`, `term/{sid}/in`). Must not throw. */
  onMessage?: (topic: string, payload: Buffer) => void;
}

// CONNACK return codes of MQTT 3.1.1 that retrying soon cannot fix.
const BAD_CREDENTIALS = 4;
const NOT_AUTHORIZED = 5;
const STOP_PUBLISH_TIMEOUT_MS = 3_000;

/**
 * The one MQTT connection to the hub. mqtt.js's own reconnect is off (reconnectPeriod 0): each attempt
 * is a fresh client scheduled by our backoff, so a hub restart is met with jittered retries and a
 * refused device waits minutes, not milliseconds. Each attempt after a closed connection goes to the
 * next URL of the list, so a dead hub of a cluster costs one failed attempt, not the device's link.
 */
export class HubConnection {
  private client: MqttClient | undefined;
  private retryTimer: Timer | undefined;
  private connectedAt: number | undefined;
  private refused = false;
  private stopped = true;
  private urlIndex = 0;

  constructor(
    private readonly options: HubConnectionOptions,
    private readonly deps: HubConnectionDeps,
  ) {}

  /** The hub the current (or next) attempt goes to. */
  get url(): string {
    const urls = this.options.mqttUrls;
    return urls[this.urlIndex % urls.length] as string;
  }

  get connected(): boolean {
    return this.connectedAt !== undefined;
  }

  start(): void {
    this.stopped = false;
    this.attempt();
  }

  /** Publishes `offline` (retained) if connected, then closes; no timer or socket is left. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer !== undefined) this.deps.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (this.connected) {
      try {
        await withTimeout(
          this.publishOn(client, 'status', this.status('offline'), true),
          STOP_PUBLISH_TIMEOUT_MS,
          this.deps.clock,
        );
      } catch (err) {
        this.deps.logger.warn('mqtt: could not publish offline before stopping; the last will will say it', {
          error: err as Error,
        });
      }
    }
    const wasConnected = this.markDisconnected() !== undefined;
    // A graceful end sends DISCONNECT, so the broker does not publish the last will on top of our offline.
    if (wasConnected) {
      try {
        await withTimeout(client.endAsync(false), STOP_PUBLISH_TIMEOUT_MS, this.deps.clock);
        return;
      } catch (err) {
        this.deps.logger.warn('mqtt: graceful disconnect failed; closing the socket', { error: err as Error });
      }
    }
    await client.endAsync(true);
  }

  /** QoS 1 publish on one of our device topics; resolves on PUBACK. */
  publish(kind: 'health' | 'inventory' | 'report' | 'event' | 'rpc/res', payload: Buffer): Promise<void> {
    const client = this.client;
    if (!client || !this.connected) return Promise.reject(new Error('not connected to the hub'));
    return this.publishRaw(client, deviceTopic(this.options.deviceId, kind), payload, false);
  }

  /** The answer to an RPC request: QoS 1, straight to the hub (an answer is only worth it while the hub waits). */
  publishRpcResponse(payload: Buffer): Promise<void> {
    return this.publish('rpc/res', payload);
  }

  /**
   * One frame on `term/{sid}/out`, QoS 0. Returns false when offline (the frame is dropped: the session's
   * sequence numbers tell the hub). mqtt.js buffers what the socket has not taken; the terminal's flow
   * control bounds that to its high-water mark.
   */
  publishTerminal(sid: string, frame: Buffer): boolean {
    const client = this.client;
    if (!client || !this.connected) return false;
    client.publish(terminalTopic(this.options.deviceId, sid, 'out'), frame, { qos: 0, retain: false });
    return true;
  }

  private attempt(): void {
    this.retryTimer = undefined;
    if (this.stopped) return;
    const { deviceId, secret, caPem } = this.options;
    this.refused = false;
    const client = this.deps.connect(this.url, {
      protocolVersion: 4,
      clientId: deviceId,
      username: deviceId,
      password: secret,
      ca: caPem,
      rejectUnauthorized: true,
      clean: true,
      keepalive: 60,
      connectTimeout: 30_000,
      reconnectPeriod: 0,
      // mqtt-packet's cache of pre-encoded packet ids holds 65,536 small buffers (~6 MiB measured);
      // the agent publishes a message a minute and does not need it.
      writeCache: false,
      will: {
        topic: deviceTopic(deviceId, 'status'),
        payload: encodePayload(this.status('offline')),
        qos: 1,
        retain: true,
      },
    });
    this.client = client;
    let closed = false;
    client.on('connect', () => this.onConnect(client));
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('error', (err) => this.onError(err));
    client.on('close', () => {
      if (closed) return;
      closed = true;
      this.onClose(client);
    });
  }

  private onConnect(client: MqttClient): void {
    this.connectedAt = this.deps.clock.now();
    this.deps.logger.info('mqtt: connected to the hub', { url: this.url, deviceId: this.options.deviceId });
    this.publishOn(client, 'status', this.status('online'), true).catch((err: Error) =>
      this.deps.logger.warn('mqtt: online status not acknowledged', { error: err }),
    );
    this.subscribe(client);
    this.deps.onConnected();
  }

  /** A clean session each time: the subscriptions are made again on every connection. */
  private subscribe(client: MqttClient): void {
    const { deviceId } = this.options;
    const topics = [deviceTopic(deviceId, 'config'), deviceTopic(deviceId, 'rpc/req'), terminalInputFilter(deviceId)];
    client.subscribe(topics, { qos: 1 }, (err, granted) => {
      if (err) {
        this.deps.logger.warn('mqtt: subscription failed; remote requests will not reach this device', {
          error: err,
          topics,
        });
        return;
      }
      const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
      if (refused.length > 0) this.deps.logger.error('mqtt: the hub refused subscriptions', { topics: refused });
    });
  }

  private onMessage(topic: string, payload: Buffer): void {
    try {
      this.deps.onMessage?.(topic, payload);
    } catch (err) {
      this.deps.logger.error('mqtt: message handler failed', { topic, error: err as Error });
    }
  }

  private onError(err: Error & { code?: unknown }): void {
    if (err.code === BAD_CREDENTIALS || err.code === NOT_AUTHORIZED) {
      this.refused = true;
      this.deps.logger.error(
        'mqtt: the hub refused this device (bad credentials or not authorised); it may have been removed or re-enrolled. Retrying slowly; re-enrol if this persists',
        { code: err.code, deviceId: this.options.deviceId },
      );
      return;
    }
    this.deps.logger.warn('mqtt: connection error', { error: err, url: this.url });
  }

  private onClose(client: MqttClient): void {
    const wasConnected = this.markDisconnected();
    client.end(true);
    if (this.client === client) this.client = undefined;
    if (this.stopped) return;
    if (wasConnected !== undefined && this.deps.clock.now() - wasConnected >= this.options.stableAfterMs) {
      this.deps.backoff.reset();
    }
    const delay = this.refused ? this.deps.backoff.nextAfterRefusal() : this.deps.backoff.next();
    this.urlIndex = (this.urlIndex + 1) % this.options.mqttUrls.length;
    this.deps.logger.info('mqtt: disconnected; retrying', {
      inMs: delay,
      attempt: this.deps.backoff.attempts,
      url: this.url,
    });
    this.retryTimer = this.deps.clock.setTimeout(() => this.attempt(), delay);
  }

  /** Returns when the connection had been up since, if it was. */
  private markDisconnected(): number | undefined {
    const since = this.connectedAt;
    this.connectedAt = undefined;
    if (since !== undefined) this.deps.onDisconnected();
    return since;
  }

  private status(state: 'online' | 'offline'): StatusMessage {
    const message: StatusMessage = {
      v: PROTOCOL_VERSION,
      id: this.deps.ids(),
      ts: new Date(this.deps.clock.now()).toISOString(),
      state,
    };
    if (state === 'online') message.agentVersion = this.options.agentVersion;
    return message;
  }

  private publishOn(client: MqttClient, kind: 'status', message: StatusMessage, retain: boolean): Promise<void> {
    return this.publishRaw(client, deviceTopic(this.options.deviceId, kind), encodePayload(message), retain);
  }

  private publishRaw(client: MqttClient, topic: string, payload: Buffer, retain: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      client.publish(topic, payload, { qos: 1, retain }, (err) => (err ? reject(err) : resolve()));
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, clock: Clock): Promise<T> {
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clock.clearTimeout(timer));
}
