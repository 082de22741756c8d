import type { IdGenerator } from '@bascule/protocol';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { isUniqueViolation } from '../database/dialect.js';
import { ApiError } from '../http/http-errors.js';
import type { RegistryRepository } from './registry.repository.js';
import { type CsvEncoding, CsvError, type CsvSeparator, decodeCsv, detectSeparator, parseCsv } from './registry-csv.js';
import { DepartmentResolver } from './registry-departments.js';
import type { ImportRow, RegistryImportRepository } from './registry-import.repository.js';
import { type CheckedFile, checkFile, type ImportLine, type LineError } from './registry-import-check.js';
import {
  type ColumnMapping,
  checkMapping,
  guessMapping,
  hostnameKey,
  type ImportPreset,
  identitySerial,
  MappingError,
} from './registry-mapping.js';

/** The largest file the hub takes (the HTTP body limit of the import route, hub/src/http/http-server.ts). */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
export const MAX_IMPORT_LINES = 200_000;
const PREVIEW_LINES = 20;
const STAGE_CHUNK = 2000;
const LISTED_ERRORS = 500;

/**
 * Where a confirmed import is: checking the file again, staging its machines by chunks (`done` of
 * `total`), then committing them to the registry in one transaction.
 */
export interface ImportProgress {
  phase: 'checking' | 'writing' | 'committing';
  done: number;
  total: number;
}

/** An import job as the API gives it. */
export interface ImportView {
  id: string;
  filename: string;
  encoding: CsvEncoding;
  separator: CsvSeparator;
  columns: string[];
  mapping: ColumnMapping;
  preset: string | null;
  state: ImportRow['state'];
  totalLines: number;
  errorLines: number;
  imported: number;
  skipped: number;
  error: string | null;
  createdBy: string;
  createdAt: string;
  confirmedBy: string | null;
  confirmedAt: string | null;
  finishedAt: string | null;
  progress: ImportProgress | null;
  /** In `preview`: why the mapping cannot be imported yet (no serial and no hostname column). */
  mappingError?: string;
  /** In `preview`: the first lines as they would be imported. */
  preview?: ImportLine[];
  /** In `preview`: the first 500 errors, line by line. */
  errors?: LineError[];
}

interface Parsed {
  header: string[];
  records: ReturnType<typeof parseCsv>;
}

/**
 * CSV imports of the registry in two steps: `preview` reads the file (UTF-8 or Windows-1252, `;` or
 * `,`), maps its columns and reports each line's errors, storing nothing but the job; `confirm`
 * checks the file again against the registry of that moment and writes every valid line in one
 * transaction, or nothing.
 */
export class RegistryImportService {
  private readonly progress = new Map<string, ImportProgress>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly imports: RegistryImportRepository,
    private readonly registry: RegistryRepository,
    private readonly audit: AuditRepository,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** At start: a job left `importing` by a stopped hub was rolled back with its transaction. */
  async recover(): Promise<void> {
    const n = await this.imports.failInterrupted(this.clock.now().toISOString());
    if (n > 0) this.logger.warn('registry imports interrupted by a stop marked failed', { jobs: n });
  }

  /** Waits for the imports still writing (stop, tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }

  async preview(input: {
    bytes: Buffer;
    filename: string;
    mapping?: Record<string, unknown>;
    preset?: ImportPreset;
    actor: string;
  }): Promise<ImportView> {
    if (input.bytes.length === 0) throw ApiError.badRequest('the file is empty');
    if (input.bytes.length > MAX_IMPORT_BYTES) throw ApiError.badRequest('the file is larger than 32 MiB');
    const decoded = decodeCsv(input.bytes);
    const separator = detectSeparator(decoded.text);
    const { header } = this.parse(decoded.text, separator);
    let mapping: ColumnMapping;
    try {
      mapping = input.mapping ? checkMapping(input.mapping, header) : guessMapping(header, input.preset);
    } catch (err) {
      if (err instanceof MappingError) throw ApiError.badRequest(err.message, { mapping: err.message });
      throw err;
    }
    const now = this.clock.now().toISOString();
    const id = this.ids();
    const checked = await this.check(decoded.text, separator, mapping);
    await this.imports.insert({
      id,
      filename: input.filename.slice(0, 200) || 'import.csv',
      encoding: decoded.encoding,
      separator,
      columns: JSON.stringify(header),
      mapping: JSON.stringify(mapping),
      preset: input.preset ?? null,
      content: decoded.text,
      state: 'preview',
      total_lines: checked.total,
      error_lines: checked.file?.errorLines ?? 0,
      error: null,
      created_by: input.actor,
      created_at: now,
      confirmed_by: null,
      confirmed_at: null,
      finished_at: null,
    });
    this.logger.info('registry import previewed', {
      importId: id,
      lines: checked.total,
      errorLines: checked.file?.errorLines ?? 0,
      encoding: decoded.encoding,
      separator,
    });
    return this.previewView(await this.job(id), checked);
  }

  /** Another mapping for a job still in preview; the preview is computed again. */
  async setMapping(id: string, mapping: Record<string, unknown>): Promise<ImportView> {
    const job = await this.job(id);
    if (job.state !== 'preview')
      throw ApiError.conflict(`import ${id} is ${job.state}: its mapping is fixed`, 'IMPORT_NOT_IN_PREVIEW');
    let checkedMapping: ColumnMapping;
    try {
      checkedMapping = checkMapping(mapping, JSON.parse(job.columns) as string[]);
    } catch (err) {
      if (err instanceof MappingError) throw ApiError.badRequest(err.message, { mapping: err.message });
      throw err;
    }
    const checked = await this.check(job.content ?? '', job.separator, checkedMapping);
    await this.imports.update(id, {
      mapping: JSON.stringify(checkedMapping),
      error_lines: checked.file?.errorLines ?? 0,
    });
    return this.previewView({ ...job, mapping: JSON.stringify(checkedMapping) }, checked);
  }

  async get(id: string): Promise<ImportView> {
    const job = await this.job(id);
    if (job.state !== 'preview') return toView(job, this.progress.get(id) ?? null);
    const checked = await this.check(job.content ?? '', job.separator, JSON.parse(job.mapping) as ColumnMapping);
    return this.previewView(job, checked);
  }

  private previewView(job: ImportRow, checked: { file?: CheckedFile; mappingError?: string }): ImportView {
    const view = toView(job, null);
    if (!checked.file) return { ...view, mappingError: checked.mappingError, preview: [], errors: [] };
    return {
      ...view,
      errorLines: checked.file.errorLines,
      preview: checked.file.lines.slice(0, PREVIEW_LINES),
      errors: checked.file.errors.slice(0, LISTED_ERRORS),
    };
  }

  async list(): Promise<ImportView[]> {
    return (await this.imports.list()).map((r) => toView({ ...r, content: null }, this.progress.get(r.id) ?? null));
  }

  /**
   * Starts the import of a previewed job and returns at once (state `importing`; GET the job for its
   * progress). Refused while lines have errors unless `skipInvalid`, which imports the valid ones.
   */
  async confirm(id: string, opts: { skipInvalid: boolean; actor: string }): Promise<ImportView> {
    const job = await this.job(id);
    if (job.state !== 'preview')
      throw ApiError.conflict(`import ${id} is already ${job.state}`, 'IMPORT_NOT_IN_PREVIEW');
    const mapping = JSON.parse(job.mapping) as ColumnMapping;
    if (!mapping.serial && !mapping.hostname) {
      throw ApiError.badRequest('map at least the serial number or the hostname: they identify each machine');
    }
    // The counts of the last preview; run() checks the file again before it writes anything.
    if (job.error_lines > 0 && !opts.skipInvalid) {
      throw ApiError.conflict(
        `${job.error_lines} line(s) have errors: correct the file, or confirm with skipInvalid to import only the ${job.total_lines - job.error_lines} valid line(s)`,
        'IMPORT_HAS_ERRORS',
      );
    }
    const now = this.clock.now().toISOString();
    if (!(await this.imports.claim(id, { confirmed_by: opts.actor, confirmed_at: now }))) {
      throw ApiError.conflict(`import ${id} is already being imported`, 'IMPORT_NOT_IN_PREVIEW');
    }
    this.progress.set(id, { phase: 'checking', done: 0, total: job.total_lines });
    const run = this.run(job, mapping, opts)
      .catch(async (err: Error) => {
        this.logger.error('registry import failed: nothing was imported', { importId: id, error: err });
        const reason = isUniqueViolation(err)
          ? 'a serial number or MAC address of the file was added to the registry during the import'
          : err.message;
        await this.imports.clearStaged(id);
        await this.imports.update(id, {
          state: 'failed',
          error: `nothing was imported: ${reason}`,
          finished_at: this.clock.now().toISOString(),
        });
      })
      .finally(() => {
        this.progress.delete(id);
        this.running.delete(id);
      });
    this.running.set(id, run);
    return toView(
      { ...job, state: 'importing', confirmed_by: opts.actor, confirmed_at: now },
      this.progress.get(id) ?? null,
    );
  }

  private async run(job: ImportRow, mapping: ColumnMapping, opts: { skipInvalid: boolean; actor: string }) {
    const id = job.id;
    const started = Date.now();
    const now = this.clock.now().toISOString();
    // Checked again (the registry may have changed since the preview), before the transaction so that the
    // hub keeps answering meanwhile; what changes between this check and the commit is caught by the unique
    // serial and MAC constraints, which roll the whole import back.
    const parsed = this.parse(job.content ?? '', job.separator);
    const checkingProgress: ImportProgress = { phase: 'checking', done: 0, total: parsed.records.length };
    this.progress.set(id, checkingProgress);
    const file = await checkFile(parsed.header, parsed.records, mapping, await this.known(this.registry), (n) => {
      checkingProgress.done = n;
    });
    if (file.errorLines > 0 && !opts.skipInvalid) {
      throw new Error(`${file.errorLines} line(s) have errors since the preview (the registry changed)`);
    }
    const progress: ImportProgress = { phase: 'writing', done: 0, total: file.lines.length };
    this.progress.set(id, progress);
    const departments = await DepartmentResolver.load(this.registry, this.ids, now);
    await this.imports.clearStaged(id);
    for (let i = 0; i < file.lines.length; i += STAGE_CHUNK) {
      await this.imports.stage(
        file.lines.slice(i, i + STAGE_CHUNK).map((l) => ({
          id: this.ids(),
          import_id: id,
          serial: l.serial,
          serial_key: identitySerial(l.serial) ?? null,
          hostname: l.hostname,
          hostname_key: l.hostname ? hostnameKey(l.hostname) : null,
          department_id: departments.resolve(l.department),
          main_user: l.mainUser,
          os: l.os,
          macs: JSON.stringify(l.macs),
        })),
      );
      progress.done = Math.min(i + STAGE_CHUNK, file.lines.length);
      // Lets the hub answer (progress polls, agents) between chunks.
      await new Promise((r) => setImmediate(r));
    }
    progress.phase = 'committing';
    const outcome = await this.registry.transaction(async (tx) => {
      await departments.insertNew(tx);
      const imported = await this.imports.commitStaged(tx.db, id, now);
      await this.imports.update(
        id,
        {
          state: 'done',
          imported,
          skipped: file.errorLines,
          error_lines: file.errorLines,
          content: null,
          finished_at: this.clock.now().toISOString(),
        },
        tx.db,
      );
      return { imported, skipped: file.errorLines, departmentsCreated: departments.createdCount };
    });
    await this.audit.record({
      ts: now,
      actor: opts.actor,
      action: 'registry.imported',
      target: id,
      detail: { filename: job.filename, ...outcome },
    });
    this.logger.info('registry import done', { importId: id, ...outcome, ms: Date.now() - started });
  }

  private async job(id: string): Promise<ImportRow> {
    const job = await this.imports.get(id);
    if (!job) throw ApiError.notFound(`no import ${id}`);
    return job;
  }

  private parse(text: string, separator: CsvSeparator): Parsed {
    let records: ReturnType<typeof parseCsv>;
    try {
      records = parseCsv(text, separator);
    } catch (err) {
      if (err instanceof CsvError) throw ApiError.badRequest(`the file is not valid CSV: ${err.message}`);
      throw err;
    }
    const [first, ...rest] = records;
    if (!first) throw ApiError.badRequest('the file has no header line');
    if (rest.length === 0) throw ApiError.badRequest('the file has a header line but no machine');
    if (rest.length > MAX_IMPORT_LINES) throw ApiError.badRequest(`the file has more than ${MAX_IMPORT_LINES} lines`);
    // Empty or repeated column names get a name of their own, so that a mapping can name each column.
    const seen = new Map<string, number>();
    const header = first.fields.map((raw, i) => {
      const name = raw.trim() || `colonne ${i + 1}`;
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      return n === 1 ? name : `${name} (${n})`;
    });
    return { header, records: rest };
  }

  private async check(
    text: string,
    separator: CsvSeparator,
    mapping: ColumnMapping,
  ): Promise<{ total: number; file?: CheckedFile; mappingError?: string }> {
    const { header, records } = this.parse(text, separator);
    if (!mapping.serial && !mapping.hostname) {
      return {
        total: records.length,
        mappingError: 'map at least the serial number or the hostname: they identify each machine',
      };
    }
    return { total: records.length, file: await checkFile(header, records, mapping, await this.known(this.registry)) };
  }

  private async known(repo: RegistryRepository) {
    const { serials, macs } = await repo.identities();
    const departments = new Map<string, string | null>();
    const rows = await repo.departments();
    const keyOf = new Map(rows.map((d) => [d.id, d.name_key]));
    for (const d of rows) departments.set(d.name_key, d.parent_id ? (keyOf.get(d.parent_id) ?? null) : null);
    return { serials, macs, departments };
  }
}

function toView(r: ImportRow, progress: ImportProgress | null): ImportView {
  return {
    id: r.id,
    filename: r.filename,
    encoding: r.encoding,
    separator: r.separator,
    columns: JSON.parse(r.columns) as string[],
    mapping: JSON.parse(r.mapping) as ColumnMapping,
    preset: r.preset,
    state: r.state,
    totalLines: r.total_lines,
    errorLines: r.error_lines,
    imported: r.imported,
    skipped: r.skipped,
    error: r.error,
    createdBy: r.created_by,
    createdAt: r.created_at,
    confirmedBy: r.confirmed_by,
    confirmedAt: r.confirmed_at,
    finishedAt: r.finished_at,
    progress,
  };
}
