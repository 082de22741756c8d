import type { HealthMessage, InventoryMessage, InventorySectionName, InventorySections } from '@bascule/protocol';
import { type IdGenerator, INVENTORY_SECTIONS, MAX_PAYLOAD_BYTES, PROTOCOL_VERSION } from '@bascule/protocol/runtime';
import type { HealthReporter } from '../health/health-reporter.js';
import type { InventorySource } from '../inventory/child-process-inventory.js';
import { fingerprints, inventoryDelta, type SectionFingerprints } from '../inventory/inventory-delta.js';
import type { Logger } from '../logging/logger.js';
import type { MeteredPolicy } from '../metered/metered-policy.js';
import type { Outbox } from '../outbox/outbox.js';
import type { AgentSettings } from '../settings/agent-settings.js';
import type { RuntimeStatusStore } from '../state/runtime-status-store.js';
import type { Clock, Timer } from '../system/clock.js';
import type { ChangeTrigger } from '../system/file-change-trigger.js';
import type { OutboxPublisher } from './outbox-publisher.js';

export interface AgentDaemonDeps {
  settings: AgentSettings;
  logger: Logger;
  clock: Clock;
  ids: IdGenerator;
  outbox: Outbox;
  publisher: OutboxPublisher;
  connection: { start(): void; stop(): Promise<void>; readonly connected: boolean };
  health: HealthReporter;
  /** Metered link or fixed line: how often to sample and send, and what inventory may go. */
  link: MeteredPolicy;
  inventory: InventorySource;
  runtime: RuntimeStatusStore;
  pid: number;
  /** Remote terminal sessions: started before the connection, stopped (all closed) before it. */
  terminals?: { start(): void; stop(): Promise<void> };
  /** Desired-state configuration: applies at start, on each new config and periodically. */
  config?: { start(): void; stop(): Promise<void> };
  /** What asks for a delta of some sections between the daily full inventories (a package change → software). */
  inventoryTriggers?: InventoryTrigger[];
}

/** A change on the machine and the sections it may have changed. */
export interface InventoryTrigger {
  trigger: ChangeTrigger;
  sections: readonly InventorySectionName[];
}

/**
 * Sections that change without a trigger the agent can watch cheaply (who is signed in, an address
 * renewed by DHCP): looked at every `deltaInventoryMinutes`. Both are cheap to collect.
 */
export const VOLATILE_SECTIONS: readonly InventorySectionName[] = ['network', 'users'];

// setTimeout's limit (~24.8 days); a longer full-inventory period is reached through several waits.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The long-running agent: heartbeats and inventories go to the outbox, the publisher drains it to the
 * hub. Constructor assigns; start() starts timers and the connection; stop() undoes all of it.
 */
export class AgentDaemon {
  private heartbeatTimer: Timer | undefined;
  private pollTimer: Timer | undefined;
  private fullTimer: Timer | undefined;
  private lastFullAt = 0;
  private sent: SectionFingerprints | undefined;
  private inventoryRun: Promise<void> | undefined;
  private heartbeatRun: Promise<void> | undefined;
  private pendingFull = false;
  /** Sections a trigger or the poll asked for, collected at the next run. */
  private readonly pendingDelta = new Set<InventorySectionName>();
  private running = false;
  private lastConnectedAt: string | null = null;
  private readonly startedAt: string;

  constructor(private readonly deps: AgentDaemonDeps) {
    this.startedAt = new Date(deps.clock.now()).toISOString();
  }

  start(): void {
    this.running = true;
    this.deps.outbox.open();
    this.writeRuntime();
    this.deps.terminals?.start();
    this.deps.config?.start();
    this.deps.connection.start();
    this.heartbeat();
    this.requestInventory('full');
    for (const t of this.deps.inventoryTriggers ?? [])
      t.trigger.start(() => this.requestInventory('delta', t.sections));
    this.schedulePoll();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.deps.inventoryTriggers ?? []) t.trigger.stop();
    for (const timer of [this.heartbeatTimer, this.pollTimer, this.fullTimer]) {
      if (timer !== undefined) this.deps.clock.clearTimeout(timer);
    }
    this.heartbeatTimer = undefined;
    this.pollTimer = undefined;
    this.fullTimer = undefined;
    await this.heartbeatRun;
    // Samples waiting for their batch go to the outbox, sent after the next start.
    const pending = this.deps.health.flush(new Date(this.deps.clock.now()));
    if (pending) this.deps.outbox.enqueue('health', pending);
    // Sessions say `agent-stopping` to the hub while the connection is still up.
    try {
      await this.deps.terminals?.stop();
    } catch (err) {
      this.deps.logger.error('terminal: stopping the sessions failed', { error: err as Error });
    }
    try {
      await this.deps.config?.stop();
    } catch (err) {
      this.deps.logger.error('config: stopping the apply failed', { error: err as Error });
    }
    await this.deps.connection.stop();
    // An inventory being collected finishes within its commands' timeouts; its result is dropped.
    await this.inventoryRun;
    this.writeRuntime();
  }

  /** Called by the connection. */
  onConnected(): void {
    this.lastConnectedAt = new Date(this.deps.clock.now()).toISOString();
    this.writeRuntime();
    this.deps.publisher.onConnected();
  }

  onDisconnected(): void {
    this.deps.publisher.onDisconnected();
    if (this.running) this.writeRuntime();
  }

  /**
   * A full inventory (start, daily, SIGHUP, `inventory.refresh` from the hub), or a delta of `sections`
   * (every section when not given), queued behind one being collected.
   */
  requestInventory(kind: 'full' | 'delta', sections: readonly InventorySectionName[] = INVENTORY_SECTIONS): void {
    if (kind === 'full') this.pendingFull = true;
    // A change seen while an inventory runs may have come too late for it: look again after it.
    else for (const name of sections) this.pendingDelta.add(name);
    if (this.inventoryRun) return;
    this.inventoryRun = this.runInventory()
      .catch((err: Error) => this.deps.logger.error('inventory: run failed', { error: err }))
      .finally(() => {
        this.inventoryRun = undefined;
        // A full one waiting for a fixed line is not run again now (deltas run on their schedule).
        const full = this.pendingFull && this.deps.link.budget.fullInventory;
        if (this.running && (full || this.pendingDelta.size > 0)) this.requestInventory(full ? 'full' : 'delta', []);
      });
  }

  /** The light poll of the volatile sections; a full inventory overdue (after a suspend) goes instead. */
  private schedulePoll(): void {
    this.pollTimer = this.deps.clock.setTimeout(
      () => {
        this.pollTimer = undefined;
        if (!this.running) return;
        this.requestInventory('delta', VOLATILE_SECTIONS);
        this.schedulePoll();
      },
      Math.min(this.deps.settings.deltaInventoryMinutes * 60_000, MAX_TIMER_MS),
    );
  }

  private scheduleFull(): void {
    if (this.fullTimer !== undefined) this.deps.clock.clearTimeout(this.fullTimer);
    const periodMs = this.deps.settings.fullInventoryHours * 3_600_000;
    this.fullTimer = this.deps.clock.setTimeout(
      () => {
        this.fullTimer = undefined;
        if (!this.running) return;
        // Timers do not count a suspend: the wall clock decides, a short wait becomes another wait.
        if (this.fullDue()) this.requestInventory('full');
        else this.scheduleFull();
      },
      Math.min(Math.max(periodMs - (this.deps.clock.now() - this.lastFullAt), 1_000), MAX_TIMER_MS),
    );
  }

  private fullDue(): boolean {
    return this.deps.clock.now() - this.lastFullAt >= this.deps.settings.fullInventoryHours * 3_600_000;
  }

  private heartbeat(): void {
    this.heartbeatRun = this.sendHeartbeat()
      .catch((err: Error) => this.deps.logger.error('health: heartbeat failed', { error: err }))
      .finally(() => {
        this.heartbeatRun = undefined;
        if (this.running)
          this.heartbeatTimer = this.deps.clock.setTimeout(
            () => this.heartbeat(),
            this.deps.health.intervalMs(this.deps.settings.heartbeatSeconds),
          );
      });
  }

  private async sendHeartbeat(): Promise<void> {
    // Back on a fixed line: what waited (large inventory sections) goes now rather than at the next delta.
    if ((await this.deps.link.refresh()) && !this.deps.link.metered) this.requestInventory('delta');
    const message: HealthMessage | undefined = await this.deps.health.tick(new Date(this.deps.clock.now()));
    if (!message) return;
    this.deps.outbox.enqueue('health', message);
    if (this.running) this.deps.publisher.pump();
  }

  private async runInventory(): Promise<void> {
    const budget = this.deps.link.budget;
    // On a metered link a full inventory waits (pendingFull stays) and only changed, small sections go.
    const full = budget.fullInventory && (this.pendingFull || this.sent === undefined || this.fullDue());
    if (full) this.pendingFull = false;
    // Nothing sent yet (metered from the start): every section, as a delta against nothing.
    const wanted = full || this.sent === undefined ? INVENTORY_SECTIONS : [...this.pendingDelta];
    this.pendingDelta.clear();
    // A full one asked for on a metered link, with no change to send meanwhile: it waits, nothing to do.
    if (wanted.length === 0) return;
    const started = this.deps.clock.now();
    const sections = await this.deps.inventory.collect(wanted);
    if (!this.running) return;
    const payload = full ? sections : withinBudget(inventoryDelta(this.sent ?? {}, sections), budget.maxSectionBytes);
    if (Object.keys(payload).length > 0) {
      const message: InventoryMessage = {
        v: PROTOCOL_VERSION,
        id: this.deps.ids(),
        ts: new Date(this.deps.clock.now()).toISOString(),
        kind: full ? 'full' : 'delta',
        sections: fitToPayloadLimit(payload, this.deps.logger),
      };
      this.deps.outbox.enqueue(full ? 'inventory-full' : 'inventory-delta', message);
      this.deps.publisher.pump();
      this.sent = { ...this.sent, ...fingerprints(message.sections) };
    }
    if (full) {
      this.lastFullAt = started;
      this.scheduleFull();
    }
    this.deps.logger.info('inventory: collected', {
      kind: full ? 'full' : 'delta',
      collected: wanted,
      sections: Object.keys(payload),
      ms: this.deps.clock.now() - started,
    });
  }

  private writeRuntime(): void {
    try {
      this.deps.runtime.write({
        pid: this.deps.pid,
        startedAt: this.startedAt,
        connected: this.running && this.deps.connection.connected,
        lastConnectedAt: this.lastConnectedAt,
        updatedAt: new Date(this.deps.clock.now()).toISOString(),
      });
    } catch (err) {
      this.deps.logger.warn('runtime status not written; `status` may be stale', { error: err as Error });
    }
  }
}

/** The sections of `sections` at most `maxBytes` of JSON each; the others wait for a fixed line. */
export function withinBudget(sections: InventorySections, maxBytes: number): InventorySections {
  if (maxBytes === Number.POSITIVE_INFINITY) return sections;
  return Object.fromEntries(
    Object.entries(sections).filter(([, s]) => Buffer.byteLength(JSON.stringify(s)) <= maxBytes),
  ) as InventorySections;
}

/**
 * The hub refuses a payload above MAX_PAYLOAD_BYTES (even gzip-compressed, by its expanded size), and a
 * refused message would block the outbox; the largest sections become errors until the message fits.
 */
export function fitToPayloadLimit(sections: InventorySections, logger: Logger): InventorySections {
  const out: InventorySections = { ...sections };
  const size = () => Buffer.byteLength(JSON.stringify(out)) + 512;
  while (size() > MAX_PAYLOAD_BYTES) {
    const [largest] = Object.entries(out)
      .filter(([, s]) => s && 'data' in s)
      .sort(([, a], [, b]) => JSON.stringify(b).length - JSON.stringify(a).length);
    if (!largest) break;
    const [name] = largest;
    logger.error('inventory: section too large for one message; sent as an error', { section: name });
    Object.assign(out, {
      [name]: { error: `${name} section larger than the ${MAX_PAYLOAD_BYTES}-byte message limit` },
    });
  }
  return out;
}
