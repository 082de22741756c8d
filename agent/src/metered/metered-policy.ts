import type { Logger } from '../logging/logger.js';
import type { NetworkLink } from '../system/network-link.js';

/** `auto`: detect a mobile modem on the default route; `on` / `off`: the hub (or the operator) decides. */
export const METERED_MODES = ['auto', 'on', 'off'] as const;
export type MeteredMode = (typeof METERED_MODES)[number];

/**
 * The mode the agent runs in: the hub's `on` / `off` (config `agent.metered`, set per device by the
 * helpdesk) wins; the hub's `auto`, or no word from it, leaves the agent's own setting (`--metered`).
 */
export function meteredModeFrom(hub: MeteredMode | undefined, local: MeteredMode): MeteredMode {
  return hub === 'on' || hub === 'off' ? hub : local;
}

/** How frugal the agent is on each kind of link. Defaults in DEFAULT_LINK_BUDGETS (docs/performance.md). */
export interface LinkBudget {
  /** Sample interval as a multiple of the `heartbeatSeconds` setting. */
  sampleEvery: number;
  /** Samples batched into one `health` message (the first sample after start goes alone). */
  samplesPerMessage: number;
  /** MQTT keepalive: what tells the hub the device is alive between messages. */
  keepaliveSeconds: number;
  /** Inventory sections larger than this (JSON bytes) wait; Infinity sends everything. */
  maxSectionBytes: number;
  /** The periodic full inventory; when false, deltas only. */
  fullInventory: boolean;
}

/**
 * Fixed line: a sample a minute, sent five at a time (gzip makes a batch of five cost little more than
 * one). Metered: a sample every five minutes, sent once an hour, keepalive five minutes (the heartbeat the
 * hub sees), inventory deltas only and nothing large (the software section) until back on a fixed line.
 */
export const DEFAULT_LINK_BUDGETS: { fixed: LinkBudget; metered: LinkBudget } = {
  fixed: { sampleEvery: 1, samplesPerMessage: 5, keepaliveSeconds: 60, maxSectionBytes: Infinity, fullInventory: true },
  metered: {
    sampleEvery: 5,
    samplesPerMessage: 12,
    keepaliveSeconds: 300,
    maxSectionBytes: 16 * 1024,
    fullInventory: false,
  },
};

/**
 * Says whether the link is metered, and what the daemon may send on it. refresh() is cheap: one read of
 * /proc/net/route; NetworkManager is asked only when the default route changes interface.
 */
export class MeteredPolicy {
  private lastInterface: string | undefined | null = null;
  private mobile = false;

  constructor(
    private readonly link: NetworkLink,
    private readonly logger: Logger,
    private mode: MeteredMode = 'auto',
    private readonly budgets = DEFAULT_LINK_BUDGETS,
  ) {}

  get metered(): boolean {
    return this.mode === 'on' || (this.mode === 'auto' && this.mobile);
  }

  get budget(): LinkBudget {
    return this.metered ? this.budgets.metered : this.budgets.fixed;
  }

  /**
   * The hub's word (meteredModeFrom the config's `agent.metered`) overrides detection; `auto` goes back to
   * it (the last detected state until the next refresh()). Returns true when `metered` changed.
   */
  setMode(mode: MeteredMode): boolean {
    const before = this.metered;
    const previous = this.mode;
    this.mode = mode;
    const after = this.metered;
    if (after !== before) {
      this.logger.info(after ? 'metered link: frugal mode' : 'fixed line: normal mode', {
        interface: this.lastInterface,
        mode,
        previous,
      });
    }
    return after !== before;
  }

  /** Re-detects the link; returns true when `metered` changed. Never throws: a failed detection keeps the last state. */
  async refresh(): Promise<boolean> {
    const before = this.metered;
    if (this.mode === 'auto') {
      try {
        const iface = this.link.defaultInterface();
        if (iface !== this.lastInterface) {
          this.mobile = iface !== undefined && (await this.link.isMobile(iface));
          this.lastInterface = iface;
        }
      } catch (err) {
        this.logger.warn('metered: link detection failed; keeping the last state', {
          error: err as Error,
          metered: before,
        });
      }
    }
    const after = this.metered;
    if (after !== before) {
      this.logger.info(after ? 'metered link: frugal mode' : 'fixed line: normal mode', {
        interface: this.lastInterface,
        mode: this.mode,
      });
    }
    return after !== before;
  }
}
