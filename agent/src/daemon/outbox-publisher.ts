import { encodePayload } from '@bascule/protocol/runtime';
import type { Logger } from '../logging/logger.js';
import type { Outbox, OutboxKind } from '../outbox/outbox.js';

type Topic = 'health' | 'inventory' | 'report' | 'event' | 'rpc/res';

const TOPIC_OF: Record<OutboxKind, Topic> = {
  health: 'health',
  'inventory-full': 'inventory',
  'inventory-delta': 'inventory',
  report: 'report',
  event: 'event',
  'rpc-res': 'rpc/res',
};

export type Publish = (topic: Topic, payload: Buffer) => Promise<void>;

/**
 * Sends the outbox in order while connected, a few messages in flight (QoS 1 on one connection keeps
 * their order), and deletes each only on its PUBACK. After a reconnect it starts again from the head:
 * whatever was not acknowledged is sent again with the same id, which the hub de-duplicates.
 */
export class OutboxPublisher {
  private readonly inflight = new Set<number>();
  private connected = false;

  constructor(
    private readonly outbox: Outbox,
    private readonly publish: Publish,
    private readonly logger: Logger,
    private readonly window = 16,
  ) {}

  onConnected(): void {
    this.connected = true;
    this.inflight.clear();
    this.pump();
  }

  onDisconnected(): void {
    this.connected = false;
    this.inflight.clear();
  }

  /** Call after each enqueue: sends what the window allows. */
  pump(): void {
    while (this.connected && this.inflight.size < this.window) {
      const entry = this.outbox.pending().find((e) => !this.inflight.has(e.seq));
      if (!entry) return;
      const stored = this.outbox.read(entry);
      if (!stored) continue;
      this.inflight.add(entry.seq);
      this.publish(TOPIC_OF[entry.kind], encodePayload(stored.message)).then(
        () => {
          // Acknowledged means stored by the hub, whatever happened to the connection since.
          this.outbox.ack(entry);
          this.inflight.delete(entry.seq);
          this.pump();
        },
        (err: Error) => {
          // The connection is going away; the message stays and is sent again after reconnect.
          this.logger.debug('outbox: publish not acknowledged; will resend', { seq: entry.seq, error: err });
        },
      );
    }
  }
}
