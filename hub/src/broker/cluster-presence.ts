/** A publication as aedes's emitter hands it to listeners. */
export interface EmitterPacket {
  topic: string;
  payload: Buffer | string;
}

/** The part of aedes's emitter (mqemitter, or mqemitter-redis between hubs) the presence listens to. */
export interface Emitter {
  on(topic: string, listener: (packet: EmitterPacket, done: () => void) => void, callback?: () => void): unknown;
}

/** aedes says it misses a broker after three heartbeats; we use the same rule. */
const MISSED_HEARTBEATS = 3;

/**
 * Which other hub of the cluster holds each device's connection, learnt from what every aedes
 * publishes through the shared emitter: `$SYS/{broker}/new/clients`, `…/disconnect/clients` and
 * `…/heartbeat`. A hub that stopped sending heartbeats (killed) no longer counts as holding anything.
 * A hub only learns of connections made after it joined: it sees a device connected earlier elsewhere
 * once that device reconnects (docs/architecture.md, "Several hubs").
 */
export class ClusterPresence {
  private readonly holders = new Map<string, string>();
  private readonly lastSeen = new Map<string, number>();

  constructor(
    private readonly selfId: string,
    private readonly heartbeatMs: number,
    private readonly now: () => number,
    /** A device left another hub and holds no connection anywhere we know of. */
    private readonly onRemoteDisconnect: (deviceId: string) => void,
  ) {}

  /** Subscribes to the emitter; resolves once the subscriptions are in place. */
  async listen(mq: Emitter): Promise<void> {
    const on = (topic: string, handle: (broker: string, payload: string) => void) =>
      new Promise<void>((resolve) =>
        mq.on(
          topic,
          (packet, done) => {
            handle(packet.topic.split('/')[1] ?? '', packet.payload.toString());
            done();
          },
          () => resolve(),
        ),
      );
    await Promise.all([
      on('$SYS/+/new/clients', (broker, id) => this.connected(broker, id)),
      on('$SYS/+/disconnect/clients', (broker, id) => this.disconnected(broker, id)),
      on('$SYS/+/heartbeat', (broker) => this.lastSeen.set(broker, this.now())),
      on('$SYS/+/birth', (broker) => this.lastSeen.set(broker, this.now())),
    ]);
  }

  /** True while another live hub holds the device's connection. */
  heldElsewhere(deviceId: string): boolean {
    const broker = this.holders.get(deviceId);
    if (broker === undefined) return false;
    const seen = this.lastSeen.get(broker) ?? 0;
    return this.now() - seen <= MISSED_HEARTBEATS * this.heartbeatMs;
  }

  connected(broker: string, deviceId: string): void {
    if (broker === this.selfId) {
      this.holders.delete(deviceId);
      return;
    }
    this.lastSeen.set(broker, this.now());
    this.holders.set(deviceId, broker);
  }

  disconnected(broker: string, deviceId: string): void {
    if (broker === this.selfId || this.holders.get(deviceId) !== broker) return;
    this.holders.delete(deviceId);
    this.onRemoteDisconnect(deviceId);
  }
}
