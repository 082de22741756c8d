import { Aedes, type AedesOptions, type Client, type PublishPacket } from 'aedes';

type Done = (error?: Error) => void;

/**
 * aedes with a third answer to `authorizePublish`, between "allow" and "error": acknowledged and dropped.
 *
 * aedes knows only two: `done(null)` passes the message to the emitter (every subscriber, every hub of
 * a cluster), `done(err)` closes the connection without a PUBACK, so the device's outbox sends the same
 * message again at each reconnect, forever. A packet given to `refuse` before `done(null)` still gets
 * its PUBACK (or PUBREC) from aedes's publish handler, which then calls `publish` with that same packet
 * object: here it goes no further.
 */
export class RefusingAedes extends Aedes {
  private readonly refused = new WeakSet<PublishPacket>();

  static async start(options: AedesOptions): Promise<RefusingAedes> {
    const aedes = new RefusingAedes(options);
    await aedes.listen();
    return aedes;
  }

  /** Call from `authorizePublish`, before its `done(null)`: the device is answered, nobody hears it. */
  refuse(packet: PublishPacket): void {
    this.refused.add(packet);
  }

  // aedes's own calls are `publish(packet, client, done)` (handlers, wills); its types know only the
  // two-argument form of the public API.
  override publish(packet: PublishPacket, clientOrDone: Client | null | Done, done?: Done): void {
    if (this.refused.has(packet)) {
      this.refused.delete(packet);
      const callback = typeof clientOrDone === 'function' ? clientOrDone : done;
      // Asynchronously, as aedes's own publish answers: a burst of refused QoS 0 messages must not recurse.
      if (callback) setImmediate(callback);
      return;
    }
    (super.publish as (p: PublishPacket, c: Client | null | Done, d?: Done) => void).call(
      this,
      packet,
      clientOrDone,
      done,
    );
  }
}
