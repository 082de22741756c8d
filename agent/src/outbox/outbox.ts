import type { Logger } from '../logging/logger.js';
import type { StateDirectory } from '../system/state-directory.js';

/** What goes through the outbox: everything the agent publishes except its retained `status`. */
export type OutboxKind = 'health' | 'inventory-full' | 'inventory-delta' | 'report' | 'event' | 'rpc-res';

const KINDS: readonly OutboxKind[] = ['health', 'inventory-full', 'inventory-delta', 'report', 'event', 'rpc-res'];

export interface OutboxBounds {
  maxMessages: number;
  maxBytes: number;
}

export const DEFAULT_OUTBOX_BOUNDS: OutboxBounds = { maxMessages: 5_000, maxBytes: 20 * 1024 * 1024 };

export interface OutboxEntry {
  readonly seq: number;
  readonly kind: OutboxKind;
  readonly file: string;
  readonly bytes: number;
  /** Kept in memory only: the disk was full when it was enqueued (lost if the agent stops before sending it). */
  readonly body?: Buffer;
}

export interface OutboxMessage {
  kind: OutboxKind;
  /** The message as published (with its `{v, id, ts}` envelope, id generated once at enqueue). */
  message: { id: string } & Record<string, unknown>;
}

export interface OutboxStats {
  messages: number;
  bytes: number;
}

const DIR = 'outbox';
const CORRUPT_DIR = 'outbox-corrupt';
const FILE_PATTERN = /^(\d{12})-([a-z-]+)\.json$/;

function fileName(seq: number, kind: OutboxKind): string {
  return `${String(seq).padStart(12, '0')}-${kind}.json`;
}

/**
 * A disk-backed FIFO of messages waiting for the hub's PUBACK: one file per message, named by a
 * sequence number so the order survives restarts (kill -9 included). Bounded: when over the bounds,
 * the oldest health samples go first, then inventories superseded by a newer full inventory;
 * reports and events are never dropped.
 */
export class Outbox {
  private entries: OutboxEntry[] = [];
  private nextSeq = 1;
  private totalBytes = 0;
  private warnedUndroppable = false;
  private diskFull = false;

  constructor(
    private readonly dir: StateDirectory,
    private readonly logger: Logger,
    private readonly bounds: OutboxBounds = DEFAULT_OUTBOX_BOUNDS,
  ) {}

  /** Loads what a previous run left; unparseable file names are moved aside. */
  open(): void {
    this.dir.ensure(DIR);
    const leftovers = this.dir.removeTemporaries(DIR);
    if (leftovers > 0) this.logger.warn('outbox: removed unfinished writes left by a crash', { count: leftovers });
    const loaded: OutboxEntry[] = [];
    for (const { name, bytes } of this.dir.list(DIR)) {
      const match = FILE_PATTERN.exec(name);
      const kind = match?.[2] as OutboxKind | undefined;
      if (!match || !kind || !KINDS.includes(kind)) {
        this.moveAside(name, 'unexpected file name');
        continue;
      }
      loaded.push({ seq: Number(match[1]), kind, file: name, bytes });
    }
    loaded.sort((a, b) => a.seq - b.seq);
    this.entries = loaded;
    this.totalBytes = loaded.reduce((sum, e) => sum + e.bytes, 0);
    this.nextSeq = (loaded.at(-1)?.seq ?? 0) + 1;
    if (loaded.length > 0) this.logger.info('outbox: messages waiting from a previous run', { ...this.stats() });
  }

  stats(): OutboxStats {
    return { messages: this.entries.length, bytes: this.totalBytes };
  }

  /** Whether the last write failed for lack of space (new messages wait in memory). */
  get isDiskFull(): boolean {
    return this.diskFull;
  }

  /** Entries in delivery order. */
  pending(): readonly OutboxEntry[] {
    return this.entries;
  }

  /** Persists a message before anything is sent, then applies the bounds. */
  enqueue(kind: OutboxKind, message: OutboxMessage['message']): OutboxEntry {
    const seq = this.nextSeq++;
    const body = Buffer.from(JSON.stringify({ kind, message } satisfies OutboxMessage), 'utf8');
    let entry: OutboxEntry = { seq, kind, file: fileName(seq, kind), bytes: body.length };
    // Room first, then the write: the directory never holds more files than the bound, even for a moment.
    this.makeRoomFor(body.length);
    try {
      this.dir.writeAtomic(`${DIR}/${entry.file}`, body);
      if (this.diskFull) {
        this.diskFull = false;
        this.logger.info('outbox: the disk has space again; messages are kept on disk again', { ...this.stats() });
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      // The agent goes on: the message waits in memory (sent if connected, lost only if the agent stops first).
      if (!this.diskFull) {
        this.diskFull = true;
        this.logger.error('outbox: the disk is full; new messages are kept in memory until space returns', {
          dir: this.dir.root,
          ...this.stats(),
        });
      }
      entry = { ...entry, body };
    }
    this.entries.push(entry);
    this.totalBytes += entry.bytes;
    this.enforceBounds();
    return entry;
  }

  /**
   * Reads an entry's message. A corrupt entry is moved to `outbox-corrupt/`, logged, dropped from the
   * queue, and null is returned so the caller goes on with the next one.
   */
  read(entry: OutboxEntry): OutboxMessage | null {
    let reason: string;
    try {
      const raw = entry.body ?? this.dir.read(`${DIR}/${entry.file}`);
      if (raw === null) {
        // Dropped by the bounds or acknowledged meanwhile: nothing to move aside.
        this.forget(entry);
        return null;
      }
      const parsed = JSON.parse(raw.toString('utf8')) as Partial<OutboxMessage>;
      if (parsed.kind === entry.kind && typeof parsed.message?.id === 'string') return parsed as OutboxMessage;
      reason = 'content does not match its file name or has no message id';
    } catch (err) {
      reason = (err as Error).message;
    }
    this.forget(entry);
    this.moveAside(entry.file, reason);
    return null;
  }

  /** The hub acknowledged (PUBACK): the message is done. Idempotent. */
  ack(entry: OutboxEntry): void {
    if (!this.forget(entry) || entry.body) return;
    this.dir.remove(`${DIR}/${entry.file}`);
  }

  private forget(entry: OutboxEntry): boolean {
    const index = this.entries.findIndex((e) => e.seq === entry.seq);
    if (index < 0) return false;
    this.entries.splice(index, 1);
    this.totalBytes -= entry.bytes;
    return true;
  }

  private overBounds(extraMessages = 0, extraBytes = 0): boolean {
    return (
      this.entries.length + extraMessages > this.bounds.maxMessages ||
      this.totalBytes + extraBytes > this.bounds.maxBytes
    );
  }

  private nextVictim(): OutboxEntry | undefined {
    return this.oldestHealth() ?? this.oldestSupersededInventory();
  }

  /** Drops what may be dropped so that one more message of `bytes` fits; what cannot go is left to enforceBounds. */
  private makeRoomFor(bytes: number): void {
    while (this.overBounds(1, bytes)) {
      const victim = this.nextVictim();
      if (!victim) return;
      this.drop(victim);
    }
  }

  private drop(victim: OutboxEntry): void {
    this.logger.info('outbox: over its bounds, dropping a message', { kind: victim.kind, seq: victim.seq });
    this.ack(victim);
  }

  private enforceBounds(): void {
    while (this.overBounds()) {
      const victim = this.nextVictim();
      if (!victim) {
        if (!this.warnedUndroppable) {
          this.logger.warn(
            'outbox: over its bounds but only reports, events and the latest inventory remain; keeping them',
            {
              ...this.stats(),
              ...this.bounds,
            },
          );
          this.warnedUndroppable = true;
        }
        return;
      }
      this.drop(victim);
    }
    this.warnedUndroppable = false;
  }

  private oldestHealth(): OutboxEntry | undefined {
    return this.entries.find((e) => e.kind === 'health');
  }

  /** An inventory with a newer full inventory after it carries nothing the hub still needs. */
  private oldestSupersededInventory(): OutboxEntry | undefined {
    let lastFull = -1;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i]?.kind === 'inventory-full') {
        lastFull = i;
        break;
      }
    }
    for (let i = 0; i < lastFull; i++) {
      const e = this.entries[i];
      if (e && (e.kind === 'inventory-full' || e.kind === 'inventory-delta')) return e;
    }
    return undefined;
  }

  private moveAside(name: string, reason: string): void {
    this.logger.error('outbox: corrupt entry moved aside; the next messages go on', {
      file: name,
      movedTo: `${CORRUPT_DIR}/${name}`,
      reason,
    });
    this.dir.move(`${DIR}/${name}`, `${CORRUPT_DIR}/${name}`);
  }
}

/** Counts what a running or stopped daemon left in the outbox, for `status`. */
export function outboxStatsOf(dir: StateDirectory): OutboxStats {
  let messages = 0;
  let bytes = 0;
  for (const file of dir.list(DIR)) {
    if (!FILE_PATTERN.test(file.name)) continue;
    messages++;
    bytes += file.bytes;
  }
  return { messages, bytes };
}
