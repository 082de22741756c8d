import type { IdGenerator } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { type DeviceFacts, type DeviceFactsRepository, isHealthy } from './device-facts.repository.js';
import type { MachineRow, RegistryRepository } from './registry.repository.js';
import { hostnameKey, identityMac, identitySerial } from './registry-mapping.js';
import type { RegistryReviewRepository } from './registry-review.repository.js';
import { AUTO_MIGRATE_FROM } from './registry-status.js';

export type MatchOutcome =
  | { kind: 'unknown-device' }
  | { kind: 'left-alone' }
  | { kind: 'no-match' }
  | { kind: 'review'; level: MatchLevel; candidates: string[] }
  | { kind: 'linked'; machineId: string; level: MatchLevel | 'already'; migrated: boolean };
export type MatchLevel = 'serial' | 'mac' | 'hostname';

/** The actor of what the hub does by itself, in the audit log. */
export const MATCHER_ACTOR = 'hub:registry';

/**
 * Links enrolled devices to their registry record, by serial, then MAC, then hostname: the first
 * level with a candidate decides. More than one candidate at that level, or a candidate already
 * linked to another device (a reinstall, a cloned disk), opens a review item: never merged
 * silently. A linked machine becomes `migrated` once its agent is healthy (device-facts.repository.ts).
 * Called after an enrolment and after each stored inventory (services.ts).
 */
export class RegistryMatcher {
  constructor(
    private readonly registry: RegistryRepository,
    private readonly reviews: RegistryReviewRepository,
    private readonly facts: DeviceFactsRepository,
    private readonly audit: AuditRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async deviceChanged(deviceId: string): Promise<MatchOutcome> {
    const f = await this.facts.get(deviceId);
    if (!f) return { kind: 'unknown-device' };
    const linked = await this.registry.machineByDevice(deviceId);
    if (linked) {
      const migrated = await this.promote(linked, f);
      return { kind: 'linked', machineId: linked.id, level: 'already', migrated };
    }
    if (await this.reviews.blocksMatching(deviceId)) return { kind: 'left-alone' };
    for (const [level, candidates] of await this.candidates(f)) {
      if (candidates.length === 0) continue;
      const only = candidates[0] as MachineRow;
      if (candidates.length > 1 || only.device_id !== null) {
        const ids = candidates.map((c) => c.id);
        await this.openReview(f, level, ids);
        return { kind: 'review', level, candidates: ids };
      }
      await this.link(only, f, level, MATCHER_ACTOR);
      const migrated = await this.promote({ ...only, device_id: f.id }, f);
      return { kind: 'linked', machineId: only.id, level, migrated };
    }
    return { kind: 'no-match' };
  }

  /** Links a machine to a device (matching, or a person resolving a review item). */
  async link(machine: MachineRow, f: { id: string; hostname: string }, level: MatchLevel | 'review', actor: string) {
    const now = this.clock.now().toISOString();
    await this.registry.updateMachine(machine.id, { device_id: f.id, updated_at: now });
    await this.audit.record({
      ts: now,
      actor,
      action: 'registry.machine.linked',
      target: machine.id,
      detail: { before: { deviceId: machine.device_id }, after: { deviceId: f.id }, level, hostname: f.hostname },
    });
    this.logger.info('registry machine linked to its device', { machineId: machine.id, deviceId: f.id, level });
  }

  private async candidates(f: DeviceFacts): Promise<[MatchLevel, MachineRow[]][]> {
    const serials = [...new Set(f.serials.map(identitySerial).filter((s): s is string => s !== undefined))];
    const macs = [...new Set(f.macs.map(identityMac).filter((m): m is string => m !== undefined))];
    const bySerial = new Map<string, MachineRow>();
    for (const s of serials) for (const m of await this.registry.bySerial(s)) bySerial.set(m.id, m);
    return [
      ['serial', [...bySerial.values()]],
      ['mac', await this.registry.byMacs(macs)],
      ['hostname', f.hostname ? await this.registry.byHostname(hostnameKey(f.hostname)) : []],
    ];
  }

  private async openReview(f: DeviceFacts, level: MatchLevel, candidates: string[]): Promise<void> {
    const opened = await this.reviews.open({
      id: this.ids(),
      device_id: f.id,
      level,
      candidates: JSON.stringify(candidates),
      state: 'open',
      created_at: this.clock.now().toISOString(),
      resolved_by: null,
      resolved_at: null,
      machine_id: null,
    });
    if (opened) {
      this.logger.warn('registry match ambiguous: left for review', {
        deviceId: f.id,
        level,
        candidates: candidates.length,
      });
    }
  }

  /** `migrated` when the agent is healthy and the machine is on its way (not an exception, not rolled back). */
  private async promote(machine: MachineRow, f: DeviceFacts): Promise<boolean> {
    if (!AUTO_MIGRATE_FROM.includes(machine.status) || !isHealthy(f)) return false;
    const now = this.clock.now().toISOString();
    await this.registry.updateMachine(machine.id, { status: 'migrated', status_changed_at: now, updated_at: now });
    await this.audit.record({
      ts: now,
      actor: MATCHER_ACTOR,
      action: 'registry.machine.status',
      target: machine.id,
      detail: { before: { status: machine.status }, after: { status: 'migrated' }, deviceId: f.id },
    });
    this.logger.info('registry machine migrated: its agent is healthy', { machineId: machine.id, deviceId: f.id });
    return true;
  }
}
