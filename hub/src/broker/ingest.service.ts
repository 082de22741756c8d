import {
  type DeviceEvent,
  decodePayload,
  deviceEventSchema,
  eventMessageSchema,
  type HealthSample,
  healthMessageSchema,
  INVENTORY_SECTIONS,
  type InventorySections,
  inventoryEnvelopeSchema,
  inventorySectionResultSchemas,
  inventorySectionSchemas,
  PayloadError,
  type ReportMessage,
  reportMessageSchema,
  statusMessageSchema,
} from '@bascule/protocol';
import type { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { EventSink, IndexedEvent } from '../events/device-events.service.js';
import type { Metrics } from '../metrics/metrics.js';
import type { ReportSink } from '../reports/report.service.js';
import type { IngestRepository, SectionWrite } from './ingest.repository.js';

export type IngestOutcome = 'stored' | 'duplicate' | 'rejected';

/**
 * Validates and stores what a device publishes. A bad message is refused with a logged reason and
 * never touches what is already stored; the caller still acknowledges it so the agent's outbox is not
 * blocked by a message that will never become valid.
 */
export class IngestService {
  constructor(
    private readonly repo: IngestRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    /** After a `health` message is stored: roll-up bookkeeping and the alerts samples decide. */
    private readonly onHealth?: (deviceId: string, samples: HealthSample[]) => Promise<void>,
    /** `report` messages: per-module state, stored in the message's transaction (reports/report.service.ts). */
    private readonly reports?: ReportSink,
    /** After an inventory message is stored (full, or a delta of changed sections): GLPI forwarding. */
    private readonly onInventory?: (deviceId: string) => Promise<void>,
    /** `event` messages: stored in the message's transaction, then passed to the listeners (events/). */
    private readonly events?: EventSink,
  ) {}

  async ingest(deviceId: string, kind: string, payload: Buffer): Promise<IngestOutcome> {
    const outcome = await this.dispatch(deviceId, kind, payload).catch((err: unknown) => {
      if (err instanceof PayloadError || err instanceof RejectedMessage) {
        this.logger.warn('device message refused', { deviceId, kind, reason: err.message, bytes: payload.length });
        return 'rejected' as const;
      }
      throw err;
    });
    this.metrics.inc('bascule_ingest_messages_total', { kind, outcome });
    return outcome;
  }

  private async dispatch(deviceId: string, kind: string, payload: Buffer): Promise<IngestOutcome> {
    const body = decodePayload(payload);
    switch (kind) {
      case 'status':
        return this.status(deviceId, parse(statusMessageSchema, body));
      case 'health':
        return this.health(deviceId, parse(healthMessageSchema, body));
      case 'inventory':
        return this.inventory(deviceId, parse(inventoryEnvelopeSchema, body));
      case 'report':
        return this.report(deviceId, parse(reportMessageSchema, body));
      case 'event':
        return this.event(deviceId, parse(eventMessageSchema, body));
      default:
        throw new RejectedMessage(`no handler for topic kind "${kind}"`);
    }
  }

  private async status(deviceId: string, msg: z.infer<typeof statusMessageSchema>): Promise<IngestOutcome> {
    const now = this.clock.now().toISOString();
    const stored = await this.repo.once({ id: msg.id, deviceId, kind: 'status', receivedAt: now }, (tx) =>
      this.repo.updateDevice(tx, deviceId, {
        online: msg.state === 'online' ? 1 : 0,
        last_seen_at: now,
        ...(msg.agentVersion ? { agent_version: msg.agentVersion } : {}),
      }),
    );
    return stored ? 'stored' : 'duplicate';
  }

  private async health(deviceId: string, msg: z.infer<typeof healthMessageSchema>): Promise<IngestOutcome> {
    const now = this.clock.now().toISOString();
    const latest = msg.samples.reduce((a, b) => (b.ts > a.ts ? b : a));
    const stored = await this.repo.once({ id: msg.id, deviceId, kind: 'health', receivedAt: now }, async (tx) => {
      await this.repo.insertHealthSamples(
        tx,
        msg.samples.map((s) => ({ messageId: msg.id, deviceId, ts: s.ts, data: JSON.stringify(s) })),
      );
      await this.repo.updateDevice(tx, deviceId, { last_seen_at: now, last_heartbeat: JSON.stringify(latest) });
    });
    if (stored && this.onHealth) {
      // The samples are stored: a failure here is logged and costs only the alerts until the next message.
      await this.onHealth(deviceId, msg.samples).catch((err: Error) =>
        this.logger.error('health: after-ingest work failed', { deviceId, error: err }),
      );
    }
    return stored ? 'stored' : 'duplicate';
  }

  private async inventory(deviceId: string, msg: z.infer<typeof inventoryEnvelopeSchema>): Promise<IngestOutcome> {
    const now = this.clock.now().toISOString();
    const writes: SectionWrite[] = [];
    const valid: InventorySections = {};
    for (const name of INVENTORY_SECTIONS) {
      if (msg.sections[name] === undefined) continue;
      // Each section on its own: one that does not fit is stored as an error and costs only itself.
      const r = inventorySectionResultSchemas[name].safeParse(msg.sections[name]);
      if (!r.success) {
        const reason = `section refused by the hub: ${this.sectionIssues(name, msg.sections[name], r.error)}`;
        this.logger.warn('inventory section refused', { deviceId, section: name, reason });
        writes.push({ section: name, hash: null, data: null, error: reason });
        continue;
      }
      const s = r.data;
      Object.assign(valid, { [name]: s });
      writes.push(
        'error' in s
          ? { section: name, hash: null, data: null, error: s.error }
          : { section: name, hash: s.hash, data: JSON.stringify(s.data), error: null },
      );
    }
    const os = valid.os && 'data' in valid.os ? valid.os.data : undefined;
    const hw = valid.hardware && 'data' in valid.hardware ? valid.hardware.data : undefined;
    const stored = await this.repo.once({ id: msg.id, deviceId, kind: 'inventory', receivedAt: now }, async (tx) => {
      await this.repo.upsertSections(tx, deviceId, msg.ts, writes);
      await this.repo.updateDevice(tx, deviceId, {
        last_seen_at: now,
        ...(os ? { os: `${os.distro} ${os.release}`.trim(), kernel: os.kernel } : {}),
        ...(hw ? { model: [hw.manufacturer, hw.model].filter(Boolean).join(' ') || null } : {}),
      });
    });
    if (stored && writes.length > 0 && this.onInventory) {
      // Stored: a failure here costs only the forwarding of this inventory, and is logged.
      await this.onInventory(deviceId).catch((err: Error) =>
        this.logger.error('inventory: after-ingest work failed', { deviceId, error: err }),
      );
    }
    return stored ? 'stored' : 'duplicate';
  }

  private async report(deviceId: string, msg: ReportMessage): Promise<IngestOutcome> {
    const reports = this.reports;
    if (!reports) throw new RejectedMessage('reports are not handled by this hub');
    const now = this.clock.now().toISOString();
    const stored = await this.repo.once({ id: msg.id, deviceId, kind: 'report', receivedAt: now }, async (tx) => {
      await reports.record(tx, deviceId, msg, now);
      await this.repo.updateDevice(tx, deviceId, { last_seen_at: now });
    });
    if (stored) reports.recorded(deviceId, msg);
    return stored ? 'stored' : 'duplicate';
  }

  /**
   * Each event on its own: one of an unknown type (a newer agent) or that does not fit its schema is
   * logged and dropped, the others are stored. A message with no valid event is refused as a whole.
   */
  private async event(deviceId: string, msg: z.infer<typeof eventMessageSchema>): Promise<IngestOutcome> {
    const sink = this.events;
    if (!sink) throw new RejectedMessage('events are not handled by this hub');
    const valid: IndexedEvent[] = [];
    const refused: string[] = [];
    msg.events.forEach((raw, index) => {
      const r = deviceEventSchema.safeParse(raw);
      if (r.success) valid.push({ index, event: r.data as DeviceEvent });
      else refused.push(`events.${index} (${raw.type}): ${issuesOf(r.error)}`);
    });
    if (refused.length > 0) {
      this.logger.warn('device events refused', {
        deviceId,
        messageId: msg.id,
        reason: refused.slice(0, 5).join('; '),
      });
      this.metrics.inc('bascule_ingest_events_refused_total', {}, refused.length);
    }
    if (valid.length === 0)
      throw new RejectedMessage(`no valid event in the message: ${refused.slice(0, 3).join('; ')}`);
    const now = this.clock.now().toISOString();
    const stored = await this.repo.once({ id: msg.id, deviceId, kind: 'event', receivedAt: now }, async (tx) => {
      await sink.record(tx, deviceId, msg.id, valid, now);
      await this.repo.updateDevice(tx, deviceId, { last_seen_at: now });
    });
    if (stored) await sink.recorded(deviceId, valid);
    return stored ? 'stored' : 'duplicate';
  }

  /** A union only says "invalid input": check the data alone to name the field that does not fit. */
  private sectionIssues(name: (typeof INVENTORY_SECTIONS)[number], value: unknown, unionError: z.ZodError): string {
    if (value && typeof value === 'object' && 'data' in value) {
      const r = inventorySectionSchemas[name].safeParse(value.data);
      if (!r.success) return issuesOf(r.error);
    }
    return issuesOf(unionError);
  }
}

class RejectedMessage extends Error {
  override name = 'RejectedMessage';
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success) throw new RejectedMessage(`message does not match the schema: ${issuesOf(r.error)}`);
  return r.data;
}

function issuesOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
