import type { CsvRecord } from './registry-csv.js';
import {
  type ColumnMapping,
  departmentKey,
  departmentPath,
  identityMac,
  identitySerial,
  type RegistryField,
  splitMacs,
} from './registry-mapping.js';

/** A line of the file as it would be imported. */
export interface ImportLine {
  line: number;
  serial: string | null;
  hostname: string | null;
  macs: string[];
  /** Names from the root: `['Mairie', 'Écoles']`; empty when the line has none. */
  department: string[];
  mainUser: string | null;
  os: string | null;
}

export type LineErrorCode =
  | 'missing-identity'
  | 'bad-mac'
  | 'duplicate-serial'
  | 'duplicate-mac'
  | 'serial-known'
  | 'mac-known'
  | 'department-elsewhere'
  | 'too-long'
  | 'column-count';

/** Why a line cannot be imported: a stable code for the UI and a sentence for a person. */
export interface LineError {
  line: number;
  field: RegistryField | null;
  code: LineErrorCode;
  message: string;
}

/** What the registry already holds, for the checks against it. */
export interface KnownRegistry {
  serials: ReadonlySet<string>;
  macs: ReadonlySet<string>;
  /** Department name key → its parent's name key (null for a root). */
  departments: ReadonlyMap<string, string | null>;
}

export interface CheckedFile {
  lines: ImportLine[];
  errors: LineError[];
  /** Lines with at least one error. */
  errorLines: number;
}

const MAX_TEXT = 200;

/**
 * Maps and checks every line of a file (the header excluded): a line with neither serial nor hostname,
 * a malformed MAC, a serial or MAC twice in the file or already in the registry, a department that
 * exists under another parent, or a field over 200 characters is an error on that line; the others
 * are ready to import. Pure: the same file and registry give the same answer, so the preview and the
 * confirmation agree. Gives the event loop a turn every 5,000 lines (the hub keeps answering) and
 * reports how many are done.
 */
export async function checkFile(
  header: readonly string[],
  records: readonly CsvRecord[],
  mapping: ColumnMapping,
  known: KnownRegistry,
  onProgress: (done: number) => void = () => {},
): Promise<CheckedFile> {
  const it = checking(header, records, mapping, known);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
    onProgress(r.value);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const TURN = 5000;

function* checking(
  header: readonly string[],
  records: readonly CsvRecord[],
  mapping: ColumnMapping,
  known: KnownRegistry,
): Generator<number, CheckedFile> {
  const index = new Map<RegistryField, number>();
  for (const [field, column] of Object.entries(mapping) as [RegistryField, string][]) {
    index.set(field, header.indexOf(column));
  }
  const seenSerial = new Map<string, number>();
  const seenMac = new Map<string, number>();
  const parents = new Map(known.departments);
  const lines: ImportLine[] = [];
  const errors: LineError[] = [];
  let errorLines = 0;
  let count = 0;
  for (const rec of records) {
    if (count > 0 && count % TURN === 0) yield count;
    count++;
    const lineErrors: LineError[] = [];
    const err = (field: RegistryField | null, code: LineErrorCode, message: string) =>
      lineErrors.push({ line: rec.line, field, code, message });
    const cell = (field: RegistryField): string | null => {
      const i = index.get(field);
      if (i === undefined || i < 0) return null;
      const v = (rec.fields[i] ?? '').trim();
      if (v.length > MAX_TEXT && field !== 'macs' && field !== 'department') {
        err(field, 'too-long', `${field} is longer than ${MAX_TEXT} characters`);
      }
      return v === '' ? null : v;
    };
    if (rec.fields.length > header.length && rec.fields.slice(header.length).some((f) => f.trim() !== '')) {
      err(
        null,
        'column-count',
        `${rec.fields.length} fields where the header has ${header.length}: a separator too many?`,
      );
    }
    const serial = cell('serial');
    const hostname = cell('hostname');
    if (!identitySerial(serial) && !hostname) {
      err(null, 'missing-identity', 'no serial number and no hostname: the machine cannot be identified');
    }
    const macs: string[] = [];
    for (const raw of splitMacs(cell('macs') ?? '')) {
      const mac = identityMac(raw);
      if (!mac) {
        err('macs', 'bad-mac', `"${raw}" is not a MAC address (expected 6 bytes such as 3c:52:82:1a:2b:3c)`);
        continue;
      }
      if (macs.includes(mac)) continue;
      const first = seenMac.get(mac);
      if (first !== undefined) err('macs', 'duplicate-mac', `MAC ${mac} is also on line ${first}`);
      else if (known.macs.has(mac)) err('macs', 'mac-known', `MAC ${mac} already belongs to a machine of the registry`);
      macs.push(mac);
    }
    const key = identitySerial(serial);
    if (key) {
      const first = seenSerial.get(key);
      if (first !== undefined) err('serial', 'duplicate-serial', `serial ${serial} is also on line ${first}`);
      else if (known.serials.has(key)) err('serial', 'serial-known', `serial ${serial} is already in the registry`);
    }
    const department = departmentPath(cell('department') ?? '');
    if (department.some((d) => d.length > MAX_TEXT)) {
      err('department', 'too-long', `a department name is longer than ${MAX_TEXT} characters`);
    }
    // Department names are unique in the tree (a token names one by its name): a path must agree with it.
    const newParents: [string, string | null][] = [];
    department.forEach((name, i) => {
      const k = departmentKey(name);
      const parent = i === 0 ? null : departmentKey(department[i - 1] as string);
      const existing = parents.has(k) ? parents.get(k) : newParents.find(([n]) => n === k)?.[1];
      if (existing === undefined) newParents.push([k, parent]);
      else if (existing !== parent && !(i === 0 && department.length === 1)) {
        err(
          'department',
          'department-elsewhere',
          `department "${name}" already exists ${existing === null ? 'at the top of the tree' : `under "${existing}"`}`,
        );
      }
    });
    // A second line with the same serial or MAC is flagged even when the first has errors of its own.
    if (key && !seenSerial.has(key)) seenSerial.set(key, rec.line);
    for (const m of macs) if (!seenMac.has(m)) seenMac.set(m, rec.line);
    if (lineErrors.length > 0) {
      errors.push(...lineErrors);
      errorLines++;
      continue;
    }
    for (const [k, p] of newParents) parents.set(k, p);
    lines.push({
      line: rec.line,
      serial,
      hostname,
      macs,
      department,
      mainUser: cell('mainUser'),
      os: cell('os'),
    });
  }
  return { lines, errors, errorLines };
}
