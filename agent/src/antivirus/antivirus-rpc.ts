import type { AntivirusRestoreResult, AntivirusScanResult } from '@bascule/protocol';
import type { DeviceEvents } from '../events/device-event-queue.js';
import type { Logger } from '../logging/logger.js';
import { RpcError } from '../rpc/rpc-error.js';
import { QuarantineConflictError, QuarantineNotFoundError, type QuarantineStore } from '../system/quarantine-store.js';
import { FieldError, type FieldIssue, FieldReader } from '../validation/field-reader.js';
import type { AntivirusScanner } from './antivirus-scanner.js';

const QUARANTINE_ID = /^[0-9A-Za-z_-]{1,64}$/;

/** `antivirus.scan` params, checked by hand as `antivirusScanParamsSchema` says (no zod in the daemon). */
export function parseScanParams(input: unknown): { paths?: string[]; by: string } {
  const r = new FieldReader(input);
  const issues: FieldIssue[] = [];
  const by = r.string('by', { minLength: 1 });
  if (by.length > 64) issues.push({ path: 'by', message: 'must be at most 64 characters long' });
  const raw = typeof input === 'object' && input !== null ? (input as Record<string, unknown>).paths : undefined;
  let paths: string[] | undefined;
  if (raw !== undefined) {
    if (!Array.isArray(raw) || raw.length < 1 || raw.length > 64) {
      issues.push({ path: 'paths', message: 'expected 1 to 64 absolute paths' });
    } else {
      raw.forEach((p, i) => {
        if (typeof p !== 'string' || !/^\/[^\0]*$/.test(p) || p.length > 4096 || p.split('/').includes('..')) {
          issues.push({ path: `paths.${i}`, message: 'expected an absolute path without .., such as /home' });
        }
      });
      paths = raw as string[];
    }
  }
  try {
    r.done();
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    issues.unshift(...err.issues);
  }
  if (issues.length > 0) throw new FieldError(issues);
  return { ...(paths ? { paths } : {}), by };
}

/** `antivirus.restore` params (`antivirusRestoreParamsSchema`). */
export function parseRestoreParams(input: unknown): { quarantineId: string; by: string } {
  const r = new FieldReader(input);
  const quarantineId = r.string('quarantineId', {
    pattern: QUARANTINE_ID,
    patternMessage: 'expected a quarantine id (letters, digits, _ and -)',
  });
  const by = r.string('by', { minLength: 1 });
  r.done();
  return { quarantineId, by: by.slice(0, 64) };
}

export interface AntivirusRpcDeps {
  scanner: Pick<AntivirusScanner, 'busy' | 'start'>;
  quarantine: Pick<QuarantineStore, 'restore'>;
  events: DeviceEvents;
  logger: Logger;
}

/** The daemon's `antivirus.scan` and `antivirus.restore` handlers. */
export function antivirusRpcHandlers(deps: AntivirusRpcDeps): Record<string, (params: unknown) => Promise<unknown>> {
  return {
    'antivirus.scan': async (params): Promise<AntivirusScanResult> => {
      const { paths, by } = parseScanParams(params);
      if (deps.scanner.busy)
        throw new RpcError('busy', 'a scan is already running on this device; try again when it ends');
      const { scanId, finished } = deps.scanner.start('on-demand', paths);
      deps.logger.info('antivirus: scan requested', { scanId, by });
      // The result goes as an event; the scanner never rejects, this only guards against a bug.
      finished.catch((err: Error) => deps.logger.error('antivirus: scan failed', { scanId, error: err }));
      return { scanId };
    },
    'antivirus.restore': async (params): Promise<AntivirusRestoreResult> => {
      const { quarantineId, by } = parseRestoreParams(params);
      let record: ReturnType<QuarantineStore['restore']>;
      try {
        record = deps.quarantine.restore(quarantineId);
      } catch (err) {
        if (err instanceof QuarantineNotFoundError) throw new RpcError('not-found', err.message);
        if (err instanceof QuarantineConflictError) throw new RpcError('conflict', err.message);
        throw err;
      }
      deps.logger.info('antivirus: quarantined file restored', { quarantineId, path: record.path, by });
      deps.events.emit('antivirus.quarantine.restored', {
        quarantineId,
        path: record.path,
        signature: record.signature,
        by,
      });
      return { path: record.path };
    },
  };
}
