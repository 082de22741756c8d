import { createHash } from 'node:crypto';
import { type WwanFailoverObserved, type WwanFailoverSettings, wwanFailoverSettingsSchema } from '@bascule/protocol';
import type { ConfigModule, ModuleRecords, PlannedStep } from '../../config/config-module.js';
import type { StateFile } from '../../system/state-file.js';
import type { DataUseMeter } from '../../wwan/data-use-meter.js';
import type { ModemManagerClient, WwanModem } from '../../wwan/modem-manager-client.js';
import type { DefaultRoute, NetworkManagerClient } from '../../wwan/network-manager-client.js';
import { WWAN_PROFILE } from '../../wwan/network-manager-client.js';
import { type OperatorOverride, parseOperatorOverride } from '../../wwan/operator-override.js';
import { formatWwanPolicy } from '../../wwan/wwan-policy-file.js';

/** The profile's fields the module manages (secrets are compared through the hashes it recorded). */
const FIELDS = [
  'connection.id',
  'connection.autoconnect',
  'connection.autoconnect-priority',
  'gsm.apn',
  'gsm.username',
  'gsm.network-id',
  'gsm.home-only',
  'gsm.device-id',
  'ipv4.route-metric',
  'ipv6.route-metric',
  'GENERAL.STATE',
  'GENERAL.DEVICES',
] as const;

/** NetworkManager's NM_DEVICE_STATE_REASON_SIM_PIN_INCORRECT (59), as nmcli prints it. */
const PIN_INCORRECT = /^59\b|SIM PIN (was|is) incorrect/i;

interface Records {
  /** The module created the profile: release deletes it. */
  created?: boolean;
  /** sha256 of the PIN and of the password written in the profile (never the values). */
  pinHash?: string;
  passwordHash?: string;
  /** One entry per PIN tried on a SIM (hash of ICCID and PIN): never tried again. */
  pinAttempts?: Record<string, { at: string; retriesBefore?: number }>;
}

export interface WwanObserved {
  modems: WwanModem[];
  /** The modem the settings select, null: none (or not the one they name). */
  modem: WwanModem | null;
  iccid?: string;
  profile: Map<string, string> | null;
  /** NetworkManager's last reason for the gsm device, e.g. `59 (SIM PIN is incorrect)`. */
  gsmReason?: string;
  /** The IP interface of the active profile, when it is up. */
  wwanInterface?: string;
  routes: DefaultRoute[];
  records: Records;
  policyText: string | null;
  /** The operator a person chose through the RPC, when it still applies. */
  override: OperatorOverride | null;
  dataUse: { bytes: number; since: string };
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** The operator the profile is pinned to: the policy's, or the one a person chose instead of it (RPC). */
function operatorOf(s: WwanFailoverSettings, override: OperatorOverride | null): string {
  return override && override.policyOperator === s.operator ? override.operator : s.operator;
}

/** What the profile should hold (nmcli property → value), without the secrets. */
function desired(s: WwanFailoverSettings, modem: WwanModem, override: OperatorOverride | null): Record<string, string> {
  return {
    'connection.autoconnect': s.mode === 'passive' ? 'yes' : 'no',
    'connection.autoconnect-priority': '-10',
    'gsm.apn': s.apn,
    'gsm.username': s.username ?? '',
    'gsm.network-id': operatorOf(s, override),
    'gsm.home-only': s.homeOnly ? 'yes' : 'no',
    'gsm.device-id': s.modem.select === 'imei' ? (modem.deviceIdentifier ?? '') : '',
    'ipv4.route-metric': String(s.routeMetric),
    'ipv6.route-metric': String(s.routeMetric),
  };
}

/**
 * `wwan-failover`: the 4G backup link. A NetworkManager GSM profile (`bascule-4g`) pinned to one
 * operator, with a route metric above the primary's; `passive` keeps it up (NetworkManager's
 * connectivity check demotes a primary without internet), `on-demand` leaves it down for the daemon's
 * watcher (agent/src/wwan/wwan-watcher.ts). The SIM PIN is a secret, and is tried at most once per
 * SIM and PIN: a PIN the SIM refused is taken out of the profile, so that nothing tries it again
 * into a SIM lock.
 */
export class WwanFailoverModule implements ConfigModule<WwanFailoverSettings, WwanObserved> {
  readonly name = 'wwan-failover' as const;
  readonly tools = { nmcli: 'network-manager', mmcli: 'modemmanager', ip: 'iproute2' };

  constructor(
    private readonly nm: NetworkManagerClient,
    private readonly mm: ModemManagerClient,
    private readonly records: ModuleRecords,
    private readonly policyFile: StateFile,
    private readonly overrideFile: StateFile,
    private readonly dataUse: DataUseMeter,
    private readonly now: () => Date,
  ) {}

  parse(settings: unknown): WwanFailoverSettings {
    return wwanFailoverSettingsSchema.parse(settings);
  }

  async observe(settings: WwanFailoverSettings | undefined): Promise<WwanObserved> {
    const records = this.readRecords();
    const modems = settings ? await this.mm.modems() : [];
    const modem = settings ? this.select(settings, modems) : null;
    const iccid = modem?.simId ? await this.mm.iccid(modem.simId) : undefined;
    const profile = await this.nm.profile(WWAN_PROFILE, FIELDS);
    let gsmReason: string | undefined;
    let wwanInterface: string | undefined;
    if (settings) {
      const gsm = (await this.nm.devices()).find((d) => d.type === 'gsm');
      if (gsm) gsmReason = await this.nm.deviceReason(gsm.device);
      const dev = profile?.get('GENERAL.DEVICES');
      if (dev) wwanInterface = await this.nm.ipInterface(dev.split(',')[0] as string);
    }
    const use = this.dataUse.read(this.now(), settings?.monthStartDay ?? 1);
    return {
      modems,
      modem,
      ...(iccid ? { iccid } : {}),
      profile,
      ...(gsmReason !== undefined ? { gsmReason } : {}),
      ...(wwanInterface ? { wwanInterface } : {}),
      routes: settings ? await this.nm.defaultRoutes() : [],
      records,
      policyText: this.policyFile.read(),
      override: this.readOverride(),
      dataUse: { bytes: use.bytes, since: use.periodStart },
    };
  }

  plan(s: WwanFailoverSettings, o: WwanObserved): PlannedStep[] {
    // No modem (or not the one named): nothing changes; verify says so.
    if (!o.modem) return [];
    const steps: PlannedStep[] = [];
    const pin = this.pinDecision(s, o);
    const want = desired(s, o.modem, o.override);
    const secrets: string[] = [];
    const secretText: string[] = [];
    const pinHash = pin.write ? sha(s.simPin as string) : undefined;
    if (pin.write && o.records.pinHash !== pinHash) {
      secrets.push('gsm.pin', s.simPin as string);
      secretText.push('the SIM PIN');
    }
    if (pin.remove && o.records.pinHash !== undefined) {
      secrets.push('gsm.pin', '');
      secretText.push('no SIM PIN (the SIM refused it)');
    }
    const passwordHash = s.password !== undefined ? sha(s.password) : undefined;
    if (o.records.passwordHash !== passwordHash || (!o.profile && passwordHash)) {
      secrets.push('gsm.password', s.password ?? '');
      if (s.password !== undefined) secretText.push('the APN password');
    }
    const record = (r: Records): Records => ({
      ...r,
      ...(secrets.includes('gsm.pin') ? { pinHash: pin.write ? pinHash : undefined } : {}),
      ...(secrets.includes('gsm.password') ? { passwordHash } : {}),
      ...(pin.write && pin.attemptKey && secrets.includes('gsm.pin')
        ? {
            pinAttempts: {
              ...r.pinAttempts,
              [pin.attemptKey]: {
                at: this.now().toISOString(),
                ...(o.modem?.pinRetries !== undefined ? { retriesBefore: o.modem.pinRetries } : {}),
              },
            },
          }
        : {}),
    });
    if (!o.profile) {
      const args = ['connection', 'add', 'type', 'gsm', 'ifname', '*', 'con-name', WWAN_PROFILE];
      for (const [k, v] of Object.entries(want)) args.push(k, v);
      args.push('connection.autoconnect-retries', '0', ...secrets);
      steps.push({
        description: `create the 4G profile ${WWAN_PROFILE}: ${this.summary(s, o)}${secretText.length ? `, with ${secretText.join(' and ')}` : ''}`,
        run: async () => {
          // Recorded first: a profile half made is still the module's own to fix or remove.
          this.writeRecords(record({ ...this.readRecords(), created: true }));
          await this.nm.nmcli(args);
        },
      });
    } else {
      const changed = Object.entries(want).filter(([k, v]) => (o.profile?.get(k) ?? '') !== v);
      if (changed.length > 0 || secrets.length > 0) {
        const args = ['connection', 'modify', WWAN_PROFILE, ...changed.flat(), ...secrets];
        const text = [...changed.map(([k, v]) => `${k} ${v || '(none)'}`), ...secretText];
        steps.push({
          description: `set ${text.join(', ')} on the 4G profile ${WWAN_PROFILE}`,
          run: async () => {
            this.writeRecords(record(this.readRecords()));
            await this.nm.nmcli(args);
          },
        });
      }
      // On-demand: the watcher brings it up; a profile left up by the passive mode goes down now.
      if (s.mode === 'on-demand' && o.profile.get('GENERAL.STATE') === 'activated' && !this.onWwan(o)) {
        steps.push({
          description: `take the 4G link down until the primary loses the internet (on-demand mode)`,
          run: () => this.nm.down(WWAN_PROFILE),
        });
      }
    }
    const text = formatWwanPolicy({
      profile: WWAN_PROFILE,
      imei: s.modem.select === 'imei' ? s.modem.imei : '',
      operator: s.operator,
      mode: s.mode,
      downAfterSeconds: s.downAfterSeconds,
      upAfterSeconds: s.upAfterSeconds,
      monthlyCapMiB: s.monthlyCapMiB,
      monthStartDay: s.monthStartDay,
      pinRefused: pin.refused,
    });
    if (o.policyText !== text) {
      steps.push({
        description:
          s.mode === 'on-demand'
            ? `have the agent bring the 4G link up after ${s.downAfterSeconds} s without internet on the primary and down ${s.upAfterSeconds} s after it is back`
            : 'have the agent report failover and failback (passive mode: NetworkManager switches)',
        run: async () => this.policyFile.write(text),
      });
    }
    return steps;
  }

  verify(s: WwanFailoverSettings, o: WwanObserved): string[] {
    if (!o.modem) {
      return [
        s.modem.select === 'imei'
          ? `no modem: ModemManager does not see the modem with IMEI ${s.modem.imei}${o.modems.length ? ` (it sees ${o.modems.map((m) => m.imei ?? m.id).join(', ')})` : ''}; nothing was changed`
          : 'no modem: ModemManager sees no mobile modem on this desktop; nothing was changed',
      ];
    }
    const problems: string[] = [];
    if (!o.profile) problems.push(`the 4G profile ${WWAN_PROFILE} does not exist`);
    else {
      for (const [k, v] of Object.entries(desired(s, o.modem, o.override))) {
        const got = o.profile.get(k) ?? '';
        if (got !== v) problems.push(`${WWAN_PROFILE}: ${k} is "${got}", not "${v}"`);
      }
    }
    const pin = this.pinDecision(s, o);
    if (pin.refused) {
      problems.push(
        `the SIM refused the PIN of the policy${o.modem.pinRetries !== undefined ? ` (${o.modem.pinRetries} tries left)` : ''}: it is not tried again; put the right PIN in the policy`,
      );
    } else if (pin.lastTry) {
      problems.push(
        `the SIM has one PIN try left: the agent does not use it; unlock the SIM by hand (mmcli -i ${o.modem.simId ?? 'N'} --pin=…) or with its PUK`,
      );
    } else if (o.modem.unlockRequired && o.modem.unlockRequired !== 'sim-pin') {
      problems.push(`the SIM needs ${o.modem.unlockRequired}: unlock it by hand (the agent only gives a PIN)`);
    } else if (o.modem.unlockRequired === 'sim-pin' && s.simPin === undefined) {
      problems.push('the SIM is locked with a PIN and the policy gives none');
    }
    const primary = o.routes.find((r) => r.dev !== o.wwanInterface && r.metric < 20_000);
    if (primary && primary.metric >= s.routeMetric) {
      problems.push(
        `the 4G route metric ${s.routeMetric} is not above the primary's (${primary.dev}: ${primary.metric}): the 4G link would carry the traffic; raise routeMetric`,
      );
    }
    return problems;
  }

  release(o: WwanObserved): PlannedStep[] {
    const steps: PlannedStep[] = [];
    if (o.records.created && o.profile) {
      steps.push({
        description: `delete the 4G profile ${WWAN_PROFILE} (no longer in the policy)`,
        run: async () => {
          await this.nm.nmcli(['connection', 'delete', WWAN_PROFILE]);
          const { pinAttempts } = this.readRecords();
          this.writeRecords(pinAttempts ? { pinAttempts } : {});
        },
      });
    }
    if (o.policyText !== null) {
      steps.push({ description: 'stop watching the 4G link', run: async () => this.policyFile.remove() });
    }
    return steps;
  }

  reportable(o: WwanObserved): WwanFailoverObserved {
    const m = o.modem;
    const settingsCap = this.capOf(o);
    const best = o.routes[0];
    return {
      modem: m
        ? {
            id: m.id,
            ...(m.manufacturer ? { manufacturer: m.manufacturer } : {}),
            ...(m.model ? { model: m.model } : {}),
            ...(m.imei ? { imei: m.imei } : {}),
            ...(m.state ? { state: m.state } : {}),
            ...(m.operator ? { operator: m.operator } : {}),
            ...(m.operatorCode ? { operatorCode: m.operatorCode } : {}),
            ...(m.registration ? { registration: m.registration } : {}),
            ...(m.signalPercent !== undefined ? { signalPercent: m.signalPercent } : {}),
            accessTech: m.accessTech,
            ...(m.unlockRequired ? { unlockRequired: m.unlockRequired } : {}),
            ...(m.pinRetries !== undefined ? { pinRetries: m.pinRetries } : {}),
          }
        : null,
      profile: {
        exists: o.profile !== null,
        active: o.profile?.get('GENERAL.STATE') === 'activated',
        ...(o.profile ? { autoconnect: o.profile.get('connection.autoconnect') === 'yes' } : {}),
      },
      defaultRoute: best ? { via: this.onWwan(o) ? 'wwan' : 'primary', interface: best.dev } : { via: 'none' },
      dataUse: {
        bytes: o.dataUse.bytes,
        since: o.dataUse.since,
        capMiB: settingsCap,
        percentOfCap: settingsCap > 0 ? Math.round((o.dataUse.bytes / (settingsCap * 1024 * 1024)) * 1000) / 10 : 0,
      },
      pinRefused: this.pinRefusedFromFile(o),
    };
  }

  secrets(s: WwanFailoverSettings): string[] {
    return [s.simPin, s.password].filter((v): v is string => v !== undefined);
  }

  fingerprint(s: WwanFailoverSettings): unknown {
    return { ...s, simPin: s.simPin ? sha(s.simPin) : undefined, password: s.password ? sha(s.password) : undefined };
  }

  private select(s: WwanFailoverSettings, modems: WwanModem[]): WwanModem | null {
    if (s.modem.select === 'first') return modems[0] ?? null;
    const imei = s.modem.imei;
    return modems.find((m) => m.imei === imei) ?? null;
  }

  /**
   * Whether the profile gets the PIN. One attempt per SIM (ICCID) and PIN: an attempt is recorded when
   * the PIN is written (NetworkManager gives it when it brings the link up); the SIM refused it when
   * NetworkManager says so (reason 59) or the tries left went down while the SIM is still locked.
   */
  private pinDecision(
    s: WwanFailoverSettings,
    o: WwanObserved,
  ): { write: boolean; remove: boolean; refused: boolean; lastTry: boolean; attemptKey?: string } {
    if (s.simPin === undefined || !o.modem) return { write: false, remove: true, refused: false, lastTry: false };
    const attemptKey = sha(`${o.iccid ?? o.modem.imei ?? o.modem.id}:${s.simPin}`).slice(0, 32);
    const attempt = o.records.pinAttempts?.[attemptKey];
    const locked = o.modem.unlockRequired === 'sim-pin';
    const refused =
      attempt !== undefined &&
      locked &&
      (PIN_INCORRECT.test(o.gsmReason ?? '') ||
        (attempt.retriesBefore !== undefined &&
          o.modem.pinRetries !== undefined &&
          o.modem.pinRetries < attempt.retriesBefore));
    if (refused) return { write: false, remove: true, refused: true, lastTry: false, attemptKey };
    // Never spend the last try: a wrong PIN then locks the SIM (PUK).
    const lastTry = attempt === undefined && locked && o.modem.pinRetries !== undefined && o.modem.pinRetries <= 1;
    if (lastTry) return { write: false, remove: true, refused: false, lastTry: true, attemptKey };
    return { write: true, remove: false, refused: false, lastTry: false, attemptKey };
  }

  private onWwan(o: WwanObserved): boolean {
    const best = o.routes[0];
    return best !== undefined && best.dev === o.wwanInterface;
  }

  private capOf(o: WwanObserved): number {
    try {
      return o.policyText ? ((JSON.parse(o.policyText) as { monthlyCapMiB?: number }).monthlyCapMiB ?? 0) : 0;
    } catch {
      return 0;
    }
  }

  private pinRefusedFromFile(o: WwanObserved): boolean {
    try {
      return o.policyText ? (JSON.parse(o.policyText) as { pinRefused?: boolean }).pinRefused === true : false;
    } catch {
      return false;
    }
  }

  private summary(s: WwanFailoverSettings, o: WwanObserved): string {
    const op = operatorOf(s, o.override);
    return `APN ${s.apn}, operator ${op}${op !== s.operator ? ` (chosen by ${o.override?.by} instead of ${s.operator})` : ''}${s.homeOnly ? ' only (no roaming)' : ''}, route metric ${s.routeMetric}, ${s.mode === 'passive' ? 'always up (passive)' : 'up only when the primary has no internet (on-demand)'}`;
  }

  private readOverride(): OperatorOverride | null {
    const text = this.overrideFile.read();
    if (text === null) return null;
    try {
      return parseOperatorOverride(text);
    } catch (err) {
      throw new Error(
        `${this.overrideFile.path} is unreadable (${(err as Error).message}): delete it to use the policy's operator`,
      );
    }
  }

  private readRecords(): Records {
    return this.records.read<Records>(this.name, 'state') ?? {};
  }

  private writeRecords(r: Records): void {
    this.records.write(this.name, 'state', r);
  }
}
