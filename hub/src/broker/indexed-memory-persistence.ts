import { Readable } from 'node:stream';
import MemoryPersistence, { type StoredPacket } from 'aedes-persistence/asyncPersistence.js';
import { CallBackPersistence } from 'aedes-persistence/callBackPersistence.js';
import { RetainedTree } from './retained-tree.js';

/**
 * aedes' memory persistence with its retained messages kept by topic level (RetainedTree): a
 * subscription to `bascule/v1/devices/<id>/config` reads one branch instead of every retained
 * message of the fleet. Subscriptions, wills and queues stay upstream's.
 */
export class IndexedMemoryPersistence extends MemoryPersistence {
  private readonly retained = new RetainedTree<StoredPacket>();

  override async storeRetained(pkt: StoredPacket): Promise<void> {
    const packet = { ...pkt }; // aedes reuses its packets; upstream stores a copy too
    if (packet.payload.length === 0) this.retained.delete(packet.topic);
    else this.retained.set(packet);
  }

  override createRetainedStream(pattern: string): Readable {
    return Readable.from(this.retained.match(pattern));
  }

  override createRetainedStreamCombi(patterns: string[]): Readable {
    const retained = this.retained;
    return Readable.from(
      (function* () {
        for (const pattern of patterns) yield* retained.match(pattern);
      })(),
    );
  }

  /** How many retained messages it holds (tests and benchmarks). */
  get retainedCount(): number {
    return this.retained.size;
  }
}

/** What aedes is given: the callback facade over the indexed persistence, as aedes' own default is. */
export function indexedMemoryPersistence(): unknown {
  return new CallBackPersistence((opts) => new IndexedMemoryPersistence(opts));
}
