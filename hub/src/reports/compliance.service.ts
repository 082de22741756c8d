import type { DeviceConfigRow } from '../config-publisher/config.repository.js';
import type { ConfigContent, ConfigService } from '../config-publisher/config.service.js';
import type { DeviceRepository } from '../devices/device.repository.js';
import { ApiError } from '../http/http-errors.js';
import type { PolicyRepository } from '../policies/policy.repository.js';
import type { ModuleStateRow, ReportRepository } from './report.repository.js';

/** applied, failed, drift, invalid as reported; pending: no report yet for the revision the device should have. */
export type ComplianceStatus = ModuleStateRow['status'] | 'pending';

export interface ComplianceCounts {
  devices: number;
  applied: number;
  failed: number;
  drift: number;
  pending: number;
}

export interface ModuleCompliance {
  module: string;
  policyId: string;
  policyName: string | null;
  policyRevision: number;
  status: ComplianceStatus;
  error: string | null;
  steps: unknown[];
  observed: unknown;
  /** What the device last reported, when it was for another revision (or policy). */
  reportedRevision: number | null;
  at: string | null;
}

/** The status of one module of one device against what its config asks. */
export function statusOf(
  expected: { policyId: string; policyRevision: number },
  state: ModuleStateRow | undefined,
): ComplianceStatus {
  if (!state || state.policy_id !== expected.policyId || state.policy_revision !== expected.policyRevision) {
    return 'pending';
  }
  return state.status;
}

export function count(counts: ComplianceCounts, status: ComplianceStatus): void {
  counts.devices++;
  if (status === 'applied') counts.applied++;
  else if (status === 'drift') counts.drift++;
  else if (status === 'pending') counts.pending++;
  else counts.failed++; // failed and invalid
}

export const zeroCounts = (): ComplianceCounts => ({ devices: 0, applied: 0, failed: 0, drift: 0, pending: 0 });

/** Compliance per policy and per device, computed by the hub from configs and reports. */
export class ComplianceService {
  constructor(
    private readonly configs: ConfigService,
    private readonly configRows: { all(): Promise<DeviceConfigRow[]> },
    private readonly reports: ReportRepository,
    private readonly policies: PolicyRepository,
    private readonly devices: DeviceRepository,
  ) {}

  /** Counts for every policy, over the devices whose config holds it. */
  async byPolicy(): Promise<(ComplianceCounts & { policyId: string; name: string; module: string })[]> {
    const states = new Map((await this.reports.all()).map((s) => [`${s.device_id}:${s.module}`, s]));
    const byPolicy = new Map<string, ComplianceCounts>();
    for (const c of await this.configRows.all()) {
      for (const [module, m] of Object.entries((JSON.parse(c.content) as ConfigContent).modules)) {
        if (!m) continue;
        const counts = byPolicy.get(m.policyId) ?? zeroCounts();
        count(counts, statusOf(m, states.get(`${c.device_id}:${module}`)));
        byPolicy.set(m.policyId, counts);
      }
    }
    return (await this.policies.all())
      .map((p) => ({ policyId: p.id, name: p.name, module: p.module, ...(byPolicy.get(p.id) ?? zeroCounts()) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** One policy: counts, and each device with its status and error. */
  async policy(policyId: string) {
    const p = await this.policies.findById(policyId);
    if (!p) throw ApiError.notFound(`no policy ${policyId}`);
    const states = new Map((await this.reports.forPolicy(policyId)).map((s) => [s.device_id, s]));
    const devices = new Map((await this.configs.view()).snapshot.devices.map((d) => [d.id, d]));
    const counts = zeroCounts();
    const rows = [];
    for (const c of await this.configRows.all()) {
      const m = (JSON.parse(c.content) as ConfigContent).modules[p.module as keyof ConfigContent['modules']];
      if (!m || m.policyId !== policyId) continue;
      const state = states.get(c.device_id);
      const status = statusOf(m, state?.module === p.module ? state : undefined);
      count(counts, status);
      const d = devices.get(c.device_id);
      rows.push({
        deviceId: c.device_id,
        hostname: d?.hostname ?? null,
        online: d?.online === 1,
        policyRevision: m.policyRevision,
        status,
        error: status === 'pending' ? null : (state?.error ?? null),
        at: state?.at ?? null,
      });
    }
    rows.sort((a, b) => (a.hostname ?? '').localeCompare(b.hostname ?? ''));
    return { policyId, name: p.name, module: p.module, ...counts, rows };
  }

  /** One device: each module of its config with what the agent reported. */
  async device(
    deviceId: string,
  ): Promise<{ configRevision: number | null; refused: string | null; modules: ModuleCompliance[] }> {
    if (!(await this.devices.findById(deviceId))) throw ApiError.notFound(`no device ${deviceId}`);
    const config = await this.configs.find(deviceId);
    const states = new Map((await this.reports.forDevice(deviceId)).map((s) => [s.module, s]));
    const names = new Map((await this.policies.all()).map((p) => [p.id, p.name]));
    const modules: ModuleCompliance[] = [];
    const content = config ? (JSON.parse(config.content) as ConfigContent) : { modules: {} };
    for (const [module, m] of Object.entries(content.modules)) {
      if (!m) continue;
      const state = states.get(module);
      const status = statusOf(m, state);
      modules.push({
        module,
        policyId: m.policyId,
        policyName: names.get(m.policyId) ?? null,
        policyRevision: m.policyRevision,
        status,
        error: state?.error ?? null,
        steps: state ? (JSON.parse(state.steps) as unknown[]) : [],
        observed: state?.observed ? JSON.parse(state.observed) : null,
        reportedRevision: state && status === 'pending' ? state.policy_revision : null,
        at: state?.at ?? null,
      });
    }
    return {
      configRevision: config?.revision ?? null,
      refused: config && config.refused_revision === config.revision ? config.refused_error : null,
      modules,
    };
  }
}
