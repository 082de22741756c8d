import type {
  AntivirusRestoredEvent,
  AntivirusScanFinishedEvent,
  AntivirusScanProgressEvent,
  AntivirusScanStartedEvent,
} from '@bascule/protocol';
import { type Selectable, sql } from 'kysely';
import type { Db } from '../database/database.js';
import { daysBetween, jsonElements, jsonFlag, jsonText, nullsAsSmallest } from '../database/dialect.js';
import type { AntivirusDetectionsTable, AntivirusQuarantineTable, AntivirusScansTable } from '../database/schema.js';

export type AntivirusScanRow = Selectable<AntivirusScansTable>;
export type AntivirusDetectionRow = Selectable<AntivirusDetectionsTable>;
export type AntivirusQuarantineRow = Selectable<AntivirusQuarantineTable>;

/** The fleet view's columns (`GET /api/v1/antivirus`), by API name. */
export const ANTIVIRUS_SORT_FIELDS = {
  id: 'id',
  hostname: 'hostname',
  department: 'department',
  online: 'online',
  lastScanAt: 'last_scan_at',
  lastResult: 'last_result',
  detections30d: 'detections_30d',
  signatureDate: 'signature_date',
  signatureAgeDays: 'signature_age_days',
} as const;
export type AntivirusSortField = keyof typeof ANTIVIRUS_SORT_FIELDS;

export interface AntivirusFleetFilter {
  department?: string;
  /** Hostname contains (case-insensitive). */
  q?: string;
  /** The last finished scan's result; `none` for devices never scanned. */
  results?: string[];
  /** Signatures older than the threshold (true), or fresh (false); devices without a date are neither. */
  outdated?: boolean;
  /** At least one detection in the last 30 days (true), or none (false). */
  detections?: boolean;
  /** ClamAV installed, as the module or the inventory says. */
  installed?: boolean;
  ids?: string[];
}

export interface AntivirusFleetQuery {
  filter: AntivirusFleetFilter;
  sort: AntivirusSortField;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
  /** ISO times: now (signature age), 30 days ago (detections counted since), the oldest news of a running scan. */
  now: string;
  since: string;
  freshSince: string;
  outdatedDays: number;
}

export interface AntivirusFleetRow {
  id: string;
  hostname: string;
  department: string;
  online: number;
  installed: number | null;
  scanning: number;
  last_scan_id: string | null;
  last_scan_at: string | null;
  last_result: string | null;
  detections_30d: number;
  signature_version: string | null;
  signature_date: string | null;
  signature_age_days: number | null;
}

/** The signature facts of one device: the module's observed state and the inventory's ClamAV entry. */
export interface AntivirusSources {
  observed: unknown;
  inventory: unknown;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The antivirus status tables (migration 0008): written by the event listener inside the ingest
 * transaction, read by the device page and the fleet view (aggregated here, in SQL).
 */
export class AntivirusStatusRepository {
  constructor(private readonly db: Db) {}

  async scanStarted(tx: Db, deviceId: string, e: AntivirusScanStartedEvent, at: string): Promise<void> {
    await tx
      .insertInto('antivirus_scans')
      .values({
        device_id: deviceId,
        scan_id: e.data.scanId,
        trigger: e.data.trigger,
        paths: JSON.stringify(e.data.paths),
        started_at: e.ts,
        finished_at: null,
        result: null,
        engine: null,
        duration_ms: null,
        files_scanned: 0,
        files_total: null,
        exit_code: null,
        updated_at: at,
      })
      // A start that arrives after its end (re-sent message) must not reopen the scan.
      .onConflict((oc) => oc.columns(['device_id', 'scan_id']).doNothing())
      .execute();
  }

  async scanProgress(tx: Db, deviceId: string, e: AntivirusScanProgressEvent, at: string): Promise<void> {
    await tx
      .updateTable('antivirus_scans')
      .set({
        files_scanned: e.data.filesScanned,
        ...(e.data.filesTotal !== undefined ? { files_total: e.data.filesTotal } : {}),
        updated_at: at,
      })
      .where('device_id', '=', deviceId)
      .where('scan_id', '=', e.data.scanId)
      .where('finished_at', 'is', null)
      .execute();
  }

  async scanFinished(tx: Db, deviceId: string, e: AntivirusScanFinishedEvent, at: string): Promise<void> {
    const d = e.data;
    const finished = {
      trigger: d.trigger,
      paths: JSON.stringify(d.paths),
      started_at: d.startedAt,
      finished_at: e.ts,
      result: d.result,
      engine: d.engine,
      duration_ms: d.durationMs,
      files_scanned: d.filesScanned ?? null,
      detections: d.detections.length,
      errors: JSON.stringify(d.errors),
      exit_code: d.exitCode,
      updated_at: at,
    };
    await tx
      .insertInto('antivirus_scans')
      .values({ device_id: deviceId, scan_id: d.scanId, files_total: null, ...finished })
      .onConflict((oc) => oc.columns(['device_id', 'scan_id']).doUpdateSet(finished))
      .execute();
    if (d.detections.length === 0) return;
    await tx
      .insertInto('antivirus_detections')
      .values(
        d.detections.map((x, idx) => ({
          device_id: deviceId,
          scan_id: d.scanId,
          idx,
          path: x.path,
          signature: x.signature,
          action: x.action,
          quarantine_id: x.quarantineId ?? null,
          error: x.error ?? null,
          detected_at: e.ts,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
    const quarantined = d.detections.filter((x) => x.action === 'quarantined' && x.quarantineId);
    if (quarantined.length === 0) return;
    await tx
      .insertInto('antivirus_quarantine')
      .values(
        quarantined.map((x) => ({
          device_id: deviceId,
          quarantine_id: x.quarantineId as string,
          path: x.path,
          signature: x.signature,
          scan_id: d.scanId,
          quarantined_at: e.ts,
          restored_at: null,
          restored_by: null,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async restored(tx: Db, deviceId: string, e: AntivirusRestoredEvent): Promise<void> {
    await tx
      .insertInto('antivirus_quarantine')
      .values({
        device_id: deviceId,
        quarantine_id: e.data.quarantineId,
        path: e.data.path,
        signature: e.data.signature,
        scan_id: null,
        quarantined_at: e.ts,
        restored_at: e.ts,
        restored_by: e.data.by,
      })
      // Known (the usual case): marked restored; unknown (its detection predates the hub's table): kept as restored.
      .onConflict((oc) =>
        oc.columns(['device_id', 'quarantine_id']).doUpdateSet({ restored_at: e.ts, restored_by: e.data.by }),
      )
      .execute();
  }

  /**
   * The scan running now: the latest started scan, when it has not finished and the hub heard of it
   * since `freshSince` (a scan whose agent died without its end event must not look busy forever).
   */
  async currentScan(deviceId: string, freshSince: string): Promise<AntivirusScanRow | undefined> {
    const latest = await this.db
      .selectFrom('antivirus_scans')
      .selectAll()
      .where('device_id', '=', deviceId)
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return latest && latest.finished_at === null && latest.updated_at >= freshSince ? latest : undefined;
  }

  lastFinishedScan(deviceId: string): Promise<AntivirusScanRow | undefined> {
    return this.db
      .selectFrom('antivirus_scans')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('finished_at', 'is not', null)
      .orderBy('finished_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Detections of one scan, in the scan's order. */
  scanDetections(deviceId: string, scanId: string): Promise<AntivirusDetectionRow[]> {
    return this.db
      .selectFrom('antivirus_detections')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('scan_id', '=', scanId)
      .orderBy('idx')
      .execute();
  }

  recentDetections(deviceId: string, limit: number): Promise<AntivirusDetectionRow[]> {
    return this.db
      .selectFrom('antivirus_detections')
      .selectAll()
      .where('device_id', '=', deviceId)
      .orderBy('detected_at', 'desc')
      .orderBy('idx')
      .limit(limit)
      .execute();
  }

  async detectionsSince(deviceId: string, since: string): Promise<number> {
    const r = await this.db
      .selectFrom('antivirus_detections')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('device_id', '=', deviceId)
      .where('detected_at', '>=', since)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Files in the quarantine now (quarantined, not restored), newest first. */
  quarantine(deviceId: string): Promise<AntivirusQuarantineRow[]> {
    return this.db
      .selectFrom('antivirus_quarantine')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('restored_at', 'is', null)
      .orderBy('quarantined_at', 'desc')
      .orderBy('quarantine_id')
      .execute();
  }

  /** The module's last `observed` and the inventory's antivirus section, parsed (either may be absent). */
  async sources(deviceId: string): Promise<AntivirusSources> {
    const state = await this.db
      .selectFrom('device_module_states')
      .select('observed')
      .where('device_id', '=', deviceId)
      .where('module', '=', 'antivirus')
      .executeTakeFirst();
    const section = await this.db
      .selectFrom('inventory_sections')
      .select('data')
      .where('device_id', '=', deviceId)
      .where('section', '=', 'antivirus')
      .executeTakeFirst();
    return {
      observed: state?.observed ? (JSON.parse(state.observed) as unknown) : undefined,
      inventory: section?.data ? (JSON.parse(section.data) as unknown) : undefined,
    };
  }

  /** One row per device: last scan, detections since `q.since`, signatures (the module's, else the inventory's). */
  async fleet(q: AntivirusFleetQuery): Promise<{ rows: AntivirusFleetRow[]; total: number }> {
    // ClamAV's entry of the inventory's antivirus section (products[] where name is ClamAV).
    const db = this.db;
    const product = sql.ref('p.value');
    const inventoryClam = (field: string) =>
      sql`(select ${jsonText(db, product, field)}
           from inventory_sections s, ${jsonElements(db, sql.ref('s.data'), 'p', { path: 'products' })}
           where s.device_id = devices.id and s.section = 'antivirus' and ${jsonText(db, product, 'name')} = 'ClamAV'
           limit 1)`;
    const observed = sql.ref('ms.observed');
    const inner = this.db
      .selectFrom('devices')
      .leftJoin('device_module_states as ms', (j) =>
        j.onRef('ms.device_id', '=', 'devices.id').on('ms.module', '=', 'antivirus'),
      )
      .leftJoin('antivirus_scans as ls', (j) =>
        j.onRef('ls.device_id', '=', 'devices.id').on(
          'ls.scan_id',
          '=',
          sql<string>`(select x.scan_id from antivirus_scans x where x.device_id = devices.id
                         and x.finished_at is not null order by x.finished_at desc limit 1)`,
        ),
      )
      .select([
        'devices.id as id',
        'devices.hostname as hostname',
        'devices.department as department',
        'devices.online as online',
        sql<number | null>`coalesce(${jsonFlag(db, observed, 'installed')},
          case when ${inventoryClam('name')} is not null then 1 end)`.as('installed'),
        sql<number>`case when exists (select 1 from antivirus_scans r where r.device_id = devices.id
          and r.finished_at is null and r.updated_at >= ${q.freshSince}
          and r.started_at = (select max(y.started_at) from antivirus_scans y where y.device_id = devices.id))
          then 1 else 0 end`.as('scanning'),
        'ls.scan_id as last_scan_id',
        'ls.finished_at as last_scan_at',
        'ls.result as last_result',
        sql<number>`(select count(*) from antivirus_detections d where d.device_id = devices.id
          and d.detected_at >= ${q.since})`.as('detections_30d'),
        sql<
          string | null
        >`coalesce(${jsonText(db, observed, 'signatureVersion')}, ${inventoryClam('signatureVersion')})`.as(
          'signature_version',
        ),
        sql<string | null>`coalesce(${jsonText(db, observed, 'signatureDate')}, ${inventoryClam('signatureDate')})`.as(
          'signature_date',
        ),
      ]);
    let base = this.db
      .selectFrom(inner.as('f'))
      .selectAll('f')
      .select(daysBetween(db, q.now, sql.ref('f.signature_date')).as('signature_age_days'));
    const f = q.filter;
    if (f.department !== undefined) base = base.where('f.department', '=', f.department);
    if (f.q)
      base = base.where(sql<boolean>`lower(f.hostname) like ${`%${escapeLike(f.q.toLowerCase())}%`} escape '\\'`);
    if (f.results) {
      const named = f.results.filter((r) => r !== 'none') as ('clean' | 'infected' | 'error')[];
      base = base.where((eb) =>
        eb.or([
          ...(named.length ? [eb('f.last_result', 'in', named)] : []),
          ...(f.results?.includes('none') ? [eb('f.last_result', 'is', null)] : []),
          sql<boolean>`false`,
        ]),
      );
    }
    if (f.outdated !== undefined) {
      const age = daysBetween(db, q.now, sql.ref('f.signature_date'));
      base = base.where(
        f.outdated ? sql<boolean>`${age} > ${q.outdatedDays}` : sql<boolean>`${age} <= ${q.outdatedDays}`,
      );
    }
    if (f.detections !== undefined) base = base.where('f.detections_30d', f.detections ? '>' : '=', 0);
    if (f.installed !== undefined) {
      base = base.where(f.installed ? sql<boolean>`f.installed = 1` : sql<boolean>`coalesce(f.installed, 0) = 0`);
    }
    if (f.ids) base = f.ids.length ? base.where('f.id', 'in', f.ids) : base.where(sql<boolean>`false`);
    const rows = await base
      .orderBy(sql.ref(ANTIVIRUS_SORT_FIELDS[q.sort]), nullsAsSmallest(q.order))
      .orderBy('f.hostname')
      .orderBy('f.id')
      .offset(q.offset)
      .limit(q.limit)
      .execute();
    const count = await base
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return { rows: rows as AntivirusFleetRow[], total: Number(count?.n ?? 0) };
  }
}
