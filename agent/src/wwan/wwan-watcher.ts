import type { DeviceEvents } from '../events/device-event-queue.js';
import type { Logger } from '../logging/logger.js';
import type { Clock, Timer } from '../system/clock.js';
import type { StateFile } from '../system/state-file.js';
import type { DataUseMeter } from './data-use-meter.js';
import type { NetworkManagerClient } from './network-manager-client.js';
import { parseWwanPolicy, type WwanPolicy } from './wwan-policy-file.js';

export interface WwanWatcherOptions {
  /** How often NetworkManager's view is read (no process but nmcli and ip, no network traffic); default 2 s. */
  tickMs?: number;
  /** How often the 4G interface's counters are added to the month's count; default 60 s. */
  dataSampleMs?: number;
  /** After a failed `nmcli connection up`, wait this long before trying again; default 60 s. */
  retryUpMs?: number;
  /**
   * The profile to treat as the 4G link instead of the module's (a test rig without a modem names an
   * Ethernet profile that stands in for it). Default: the one in the policy file.
   */
  profile?: string;
  /** On-demand: how often the primary is probed itself (ConnectivityProbe); default 4 s. */
  probeEveryMs?: number;
}

/** Says whether a link reaches the internet; undefined when it cannot tell. */
export interface PrimaryProbe {
  check(iface: string): Promise<boolean | undefined>;
}

interface LinkState {
  onWwan: boolean;
  wwanIface?: string;
  primaryIface?: string;
  /** When the primary was first seen without full connectivity (this outage). */
  lostAt?: number;
  /** When the primary was first seen with full connectivity again. */
  backAt?: number;
  failoverAt?: number;
}

/**
 * The daemon's side of `wwan-failover` (the module leaves its settings in config/wwan-failover.json).
 * Every tick it reads NetworkManager's connectivity per device and the IPv4 default route:
 * - both modes: `wwan.failover` / `wwan.failback` events when the default route moves to or from the
 *   4G interface, with the times; the metered mode is re-detected at once (`onRouteChange`);
 * - on-demand: brings the 4G profile up after `downAfterSeconds` without full connectivity on any
 *   other device, and down once a primary has been back for `upAfterSeconds`. Never while the SIM
 *   refused the policy's PIN (bringing it up would try the PIN again).
 * Passive mode leaves the switching to NetworkManager (its connectivity check raises the metric of a
 * device that lost the internet). stop() leaves no timer.
 */
export class WwanWatcher {
  private timer: Timer | undefined;
  private running = false;
  private state: LinkState = { onWwan: false };
  private lastSample = 0;
  private lastLook = '';
  private lastProbe = 0;
  private probeOk: boolean | undefined;
  /** The primary the watcher demoted itself (on-demand, its probe failing before NetworkManager's check). */
  private demoted: string | undefined;
  private upBlockedUntil = 0;
  private policyText: string | null = null;
  private policy: WwanPolicy | null = null;
  private readonly tickMs: number;
  private readonly dataSampleMs: number;
  private readonly retryUpMs: number;

  constructor(
    private readonly nm: NetworkManagerClient,
    private readonly policyFile: StateFile,
    private readonly meter: DataUseMeter,
    private readonly events: DeviceEvents,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onRouteChange: () => void,
    private readonly options: WwanWatcherOptions = {},
    private readonly probe?: PrimaryProbe,
  ) {
    this.tickMs = options.tickMs ?? 2_000;
    this.dataSampleMs = options.dataSampleMs ?? 60_000;
    this.retryUpMs = options.retryUpMs ?? 60_000;
  }

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = this.clock.setTimeout(() => {
      this.tick()
        .catch((err: Error) => this.logger.warn('wwan: could not read the links; trying again', { error: err }))
        .finally(() => this.schedule(this.tickMs));
    }, ms);
  }

  /** One look at the links; public for tests, which drive it with a fake clock. */
  async tick(): Promise<void> {
    const policy = this.readPolicy();
    if (!policy) {
      this.state = { onWwan: false };
      return;
    }
    const now = this.clock.now();
    const profileName = this.options.profile ?? policy.profile;
    const profile = await this.nm.profile(profileName, ['GENERAL.STATE', 'GENERAL.DEVICES']);
    const active = profile?.get('GENERAL.STATE') === 'activated';
    const backupDevice = active ? profile?.get('GENERAL.DEVICES')?.split(',')[0] : undefined;
    const wwanIface = backupDevice ? await this.nm.ipInterface(backupDevice) : undefined;
    const devices = await this.nm.devices();
    const primaries = devices.filter(
      (d) => d.device !== backupDevice && d.device !== wwanIface && d.type !== 'loopback' && d.type !== 'gsm',
    );
    const routes = await this.nm.defaultRoutes();
    let primaryOk = primaries.some((d) => d.connectivity === 'full');
    // On-demand: NetworkManager sees a line that died upstream only once its check times out (~20 s).
    const primaryIface = routes.find((r) => r.dev !== wwanIface)?.dev;
    if (policy.mode === 'on-demand' && this.probe && primaryIface && primaryOk) {
      if (now - this.lastProbe >= (this.options.probeEveryMs ?? 4_000)) {
        this.lastProbe = now;
        this.probeOk = await this.probe.check(primaryIface);
      }
      if (this.probeOk === false) primaryOk = false;
    } else this.probeOk = undefined;
    const best = routes[0];
    const onWwan = best !== undefined && wwanIface !== undefined && best.dev === wwanIface;

    const look = `${primaryOk}|${onWwan}|${wwanIface ?? ''}|${best?.dev ?? ''}|${active}`;
    if (look !== this.lastLook) {
      this.lastLook = look;
      this.logger.debug('wwan: links', { primaryOk, onWwan, wwanIface, defaultRoute: best?.dev, backupActive: active });
    }
    if (primaryOk) {
      this.state.lostAt = undefined;
      this.state.backAt ??= now;
    } else {
      this.state.backAt = undefined;
      this.state.lostAt ??= now;
    }
    if (!onWwan && best) this.state.primaryIface = best.dev;

    if (onWwan && !this.state.onWwan) this.failover(policy, best?.dev as string, now);
    else if (!onWwan && this.state.onWwan && best) this.failback(policy, best.dev, now);
    if (onWwan) this.state.wwanIface = wwanIface;

    if (policy.mode === 'on-demand') {
      const cameUp = await this.onDemand(policy, profileName, active, primaryOk, now);
      // Just up: demote a dead primary in the same tick rather than the next one.
      const iface = wwanIface ?? (cameUp ? await this.interfaceOf(profileName) : undefined);
      await this.demotion(routes, iface, active || onWwan || cameUp, primaryOk);
    }
    if (wwanIface && now - this.lastSample >= this.dataSampleMs) await this.sample(policy, wwanIface, now);
  }

  private failover(policy: WwanPolicy, to: string, now: number): void {
    const { lostAt, primaryIface } = this.state;
    this.state.onWwan = true;
    this.state.failoverAt = now;
    this.events.emit('wwan.failover', {
      mode: policy.mode,
      ...(primaryIface && primaryIface !== to ? { from: primaryIface } : {}),
      to,
      ...(lostAt !== undefined ? { lostAt: new Date(lostAt).toISOString(), afterMs: now - lostAt } : {}),
    });
    this.logger.info('wwan: the default route is on the 4G link', { to, afterMs: lostAt ? now - lostAt : null });
    this.onRouteChange();
  }

  private failback(policy: WwanPolicy, to: string, now: number): void {
    const { failoverAt, wwanIface } = this.state;
    this.state.onWwan = false;
    this.events.emit('wwan.failback', {
      mode: policy.mode,
      from: wwanIface ?? 'wwan',
      to,
      ...(failoverAt !== undefined
        ? { failoverAt: new Date(failoverAt).toISOString(), onWwanMs: now - failoverAt }
        : {}),
    });
    this.logger.info('wwan: the default route is back on the primary', { to });
    this.onRouteChange();
  }

  private async interfaceOf(profileName: string): Promise<string | undefined> {
    const dev = (await this.nm.profile(profileName, ['GENERAL.DEVICES']))?.get('GENERAL.DEVICES')?.split(',')[0];
    return dev ? this.nm.ipInterface(dev) : undefined;
  }

  /** Brings the 4G link up or down as the mode says; true when it has just brought it up. */
  private async onDemand(
    policy: WwanPolicy,
    profile: string,
    active: boolean,
    primaryOk: boolean,
    now: number,
  ): Promise<boolean> {
    const { lostAt, backAt } = this.state;
    if (!active && !primaryOk && lostAt !== undefined && now - lostAt >= policy.downAfterSeconds * 1000) {
      if (policy.pinRefused || now < this.upBlockedUntil) return false;
      this.logger.info('wwan: the primary has had no internet; bringing the 4G link up', {
        profile,
        withoutInternetMs: now - lostAt,
      });
      try {
        await this.nm.up(profile);
        return true;
      } catch (err) {
        // NetworkManager blocks a profile whose PIN was refused; the module reports it at the next apply.
        this.upBlockedUntil = this.clock.now() + this.retryUpMs;
        this.logger.warn('wwan: could not bring the 4G link up', { profile, error: err as Error });
      }
    } else if (active && primaryOk && backAt !== undefined && now - backAt >= policy.upAfterSeconds * 1000) {
      this.logger.info('wwan: the primary is back; taking the 4G link down', { profile, backForMs: now - backAt });
      await this.nm.down(profile);
    }
    return false;
  }

  /**
   * NetworkManager moves the default route off a primary without internet by adding 20000 to its metric,
   * but only once its own check has timed out. When the watcher's probe found the line dead first and
   * the 4G link is up, it does the same at once, for the running connection only (`nmcli device
   * modify`); `nmcli device reapply` undoes it as soon as the primary is back.
   */
  private async demotion(
    routes: { dev: string; metric: number }[],
    wwanIface: string | undefined,
    wwanUp: boolean,
    primaryOk: boolean,
  ): Promise<void> {
    if (this.demoted && primaryOk) {
      const dev = this.demoted;
      this.demoted = undefined;
      this.logger.info('wwan: the primary is back; its route metric as NetworkManager set it', { device: dev });
      await this.nm.reapply(dev);
      return;
    }
    if (this.demoted || !wwanUp || this.probeOk !== false || !wwanIface) return;
    const primary = routes.find((r) => r.dev !== wwanIface);
    if (!primary || primary.metric >= 20_000) return;
    this.demoted = primary.dev;
    this.logger.info('wwan: the primary has no internet; moving its default route behind the 4G link', {
      device: primary.dev,
      metric: primary.metric + 20_000,
    });
    await this.nm.setRouteMetric(primary.dev, primary.metric + 20_000);
  }

  private async sample(policy: WwanPolicy, iface: string, now: number): Promise<void> {
    const counters = await this.nm.linkBytes(iface);
    this.lastSample = now;
    if (counters) this.meter.sample(new Date(now), policy.monthStartDay, iface, counters);
  }

  private readPolicy(): WwanPolicy | null {
    const text = this.policyFile.read();
    if (text !== this.policyText) {
      this.policyText = text;
      this.upBlockedUntil = 0;
      try {
        this.policy = text === null ? null : parseWwanPolicy(text);
      } catch (err) {
        this.policy = null;
        this.logger.error('wwan: the policy file is unreadable; not watching', {
          file: this.policyFile.path,
          error: err as Error,
        });
      }
    }
    return this.policy;
  }
}
