import type { HealthSample, IdGenerator } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import { yieldToEventLoop } from '../core/event-loop.js';
import type { Logger } from '../core/logger.js';
import type { HealthSettings } from '../device-health/health-settings.js';
import { ApiError } from '../http/http-errors.js';
import type { AlertListQuery, AlertListRow, AlertRepository } from './alert.repository.js';
import { type Finding, SAMPLE_ALERT_TYPES, STATE_ALERT_TYPES, sampleFindings, stateFindings } from './alert-rules.js';

/** An alert as the REST API shows it (docs/rest-api.md). */
export interface AlertView {
  id: string;
  deviceId: string;
  hostname: string;
  department: string;
  type: string;
  subject: string;
  state: 'open' | 'acknowledged' | 'resolved';
  message: string;
  detail: Record<string, unknown>;
  openedAt: string;
  updatedAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

export function toAlertView(a: AlertListRow): AlertView {
  return {
    id: a.id,
    deviceId: a.device_id,
    hostname: a.hostname,
    department: a.department,
    type: a.type,
    subject: a.subject,
    state: a.state,
    message: a.message,
    detail: JSON.parse(a.detail) as Record<string, unknown>,
    openedAt: a.opened_at,
    updatedAt: a.updated_at,
    acknowledgedBy: a.acknowledged_by,
    acknowledgedAt: a.acknowledged_at,
    resolvedAt: a.resolved_at,
  };
}

const DEVICE_PAGE = 200;

/**
 * Opens an alert when a rule's condition starts to hold, keeps it (open or acknowledged) while it holds,
 * resolves it when it clears. Sample rules run as samples arrive; state rules (time, inventory) hourly.
 */
export class AlertService {
  constructor(
    private readonly repo: AlertRepository,
    private readonly audit: AuditRepository,
    private readonly ids: IdGenerator,
    private readonly settings: HealthSettings,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async evaluateSample(deviceId: string, sample: HealthSample): Promise<void> {
    await this.reconcile(deviceId, SAMPLE_ALERT_TYPES, sampleFindings(sample, this.settings));
  }

  /** The state rules for one device (offline, reboot required, SMART, antivirus). */
  async evaluateState(deviceId: string): Promise<{ opened: number; resolved: number }> {
    const state = await this.repo.deviceState(deviceId);
    if (!state) return { opened: 0, resolved: 0 };
    const now = this.clock.now();
    const { findings, rebootRequired } = stateFindings(
      {
        online: state.device.online === 1,
        lastSeenAt: state.device.last_seen_at,
        enrolledAt: state.device.enrolled_at,
        hardware: state.data.hardware,
        software: state.data.software,
        antivirus: state.data.antivirus,
        antivirusObserved: state.antivirusObserved,
        ...(state.antivirusLastScan ? { antivirusLastScan: state.antivirusLastScan } : {}),
        wwan: state.wwan,
        ...(state.rebootSeenSince ? { rebootSeenSince: state.rebootSeenSince } : {}),
      },
      now,
      this.settings,
    );
    await this.repo.setCondition(deviceId, 'reboot-required', '', rebootRequired ? now.toISOString() : null);
    return this.reconcile(deviceId, STATE_ALERT_TYPES, findings);
  }

  /** The state rules for the whole fleet, a page of devices at a time. */
  async evaluateAll(): Promise<{ devices: number; opened: number; resolved: number }> {
    const total = { devices: 0, opened: 0, resolved: 0 };
    let after = '';
    for (;;) {
      const ids = await this.repo.deviceIds(after, DEVICE_PAGE);
      for (const id of ids) {
        const r = await this.evaluateState(id);
        total.devices++;
        total.opened += r.opened;
        total.resolved += r.resolved;
        await yieldToEventLoop();
      }
      if (ids.length < DEVICE_PAGE) return total;
      after = ids[ids.length - 1] as string;
    }
  }

  async list(q: AlertListQuery) {
    const { rows, total } = await this.repo.list(q);
    return { rows: rows.map(toAlertView), total };
  }

  async get(id: string): Promise<AlertView> {
    const a = await this.repo.findById(id);
    if (!a) throw ApiError.notFound(`no alert ${id}`);
    return toAlertView(a);
  }

  /** Only an open alert can be acknowledged; the acknowledgement is audited. */
  async acknowledge(id: string, username: string): Promise<AlertView> {
    const before = await this.get(id);
    const at = this.clock.now().toISOString();
    if (!(await this.repo.acknowledge(id, username, at))) {
      throw ApiError.conflict(`alert ${id} is ${before.state}, not open`, 'ALERT_NOT_OPEN');
    }
    await this.audit.record({
      ts: at,
      actor: username,
      action: 'alert.acknowledge',
      target: id,
      detail: { deviceId: before.deviceId, type: before.type, subject: before.subject },
    });
    this.logger.info('alert acknowledged', { alertId: id, deviceId: before.deviceId, type: before.type, by: username });
    return this.get(id);
  }

  private async reconcile(
    deviceId: string,
    types: readonly string[],
    findings: Finding[],
  ): Promise<{ opened: number; resolved: number }> {
    const now = this.clock.now().toISOString();
    const active = new Map((await this.repo.active(deviceId, types)).map((a) => [`${a.type}\0${a.subject}`, a]));
    let opened = 0;
    let resolved = 0;
    for (const f of findings) {
      const key = `${f.type}\0${f.subject}`;
      const existing = active.get(key);
      const detail = JSON.stringify(f.detail);
      if (existing) {
        active.delete(key);
        if (existing.detail !== detail || existing.message !== f.message) {
          await this.repo.touch(existing.id, f.message, detail, now);
        }
        continue;
      }
      const id = this.ids();
      const inserted = await this.repo.open({
        id,
        device_id: deviceId,
        type: f.type,
        subject: f.subject,
        state: 'open',
        message: f.message,
        detail,
        opened_at: now,
        updated_at: now,
        acknowledged_by: null,
        acknowledged_at: null,
        resolved_at: null,
      });
      if (inserted) {
        opened++;
        this.logger.info('alert opened', { alertId: id, deviceId, type: f.type, subject: f.subject });
      }
    }
    for (const a of active.values()) {
      await this.repo.resolve(a.id, now);
      resolved++;
      this.logger.info('alert resolved', { alertId: a.id, deviceId, type: a.type, subject: a.subject });
    }
    return { opened, resolved };
  }
}
