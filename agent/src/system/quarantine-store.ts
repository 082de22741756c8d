import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  constants,
  copyFileSync,
  fchmodSync,
  fchownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { LocalConfigFiles } from './config-files.js';

/** What the quarantine remembers of one file, in `STATE/quarantine/<id>.json`. */
export interface QuarantineRecord {
  id: string;
  /** Where the file was. */
  path: string;
  mode: number;
  uid: number;
  gid: number;
  signature: string;
  quarantinedAt: string;
  sizeBytes: number;
}

/** Restore refused: no such record. */
export class QuarantineNotFoundError extends Error {
  override name = 'QuarantineNotFoundError';
}

/** Restore refused: a file is now where the quarantined one was, and is never overwritten. */
export class QuarantineConflictError extends Error {
  override name = 'QuarantineConflictError';
}

const ID = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * Infected files moved out of the users' reach: `DIR/<id>` is the file itself (mode 0000, owned by
 * root, in the agent's 0700 state directory) and `DIR/<id>.json` its record. A move across file systems
 * (/home on its own partition) copies then deletes. Records are written before the original is
 * deleted, so a crash leaves the file in both places rather than in neither.
 */
export class QuarantineStore {
  constructor(
    /** `STATE/quarantine`. */
    readonly dir: string,
    private readonly newId: () => string = () => randomBytes(12).toString('base64url'),
  ) {}

  quarantine(path: string, signature: string, now: Date): QuarantineRecord {
    refuseLinkedDirectory(path, 'left in place');
    const st = lstatSync(path);
    if (!st.isFile()) throw new Error(`${path} is not a regular file; left in place`);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
    const id = this.newId();
    const record: QuarantineRecord = {
      id,
      path,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      signature,
      quarantinedAt: now.toISOString(),
      sizeBytes: st.size,
    };
    const stored = join(this.dir, id);
    moveFile(path, stored);
    chmodSync(stored, 0);
    chownSync(stored, 0, 0);
    new LocalConfigFiles().writeAtomic(join(this.dir, `${id}.json`), `${JSON.stringify(record, null, 2)}\n`, 0o600);
    return record;
  }

  /** Every record, oldest first; a record that cannot be read is skipped (listed by `problems`). */
  list(): { records: QuarantineRecord[]; problems: string[] } {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], problems: [] };
      throw err;
    }
    const records: QuarantineRecord[] = [];
    const problems: string[] = [];
    for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.'))) {
      try {
        records.push(readRecord(join(this.dir, name)));
      } catch (err) {
        problems.push(`${join(this.dir, name)}: ${(err as Error).message}`);
      }
    }
    records.sort((a, b) => a.quarantinedAt.localeCompare(b.quarantinedAt) || a.id.localeCompare(b.id));
    return { records, problems };
  }

  /** Puts the file back with its mode and owner; refuses to overwrite whatever is there now. */
  restore(id: string): QuarantineRecord {
    if (!ID.test(id)) throw new QuarantineNotFoundError(`no quarantined file has the id ${JSON.stringify(id)}`);
    const recordPath = join(this.dir, `${id}.json`);
    let record: QuarantineRecord;
    try {
      record = readRecord(recordPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new QuarantineNotFoundError(`no quarantined file has the id ${id} (already restored?)`);
      }
      throw err;
    }
    if (exists(record.path)) {
      throw new QuarantineConflictError(
        `${record.path} exists again: it is not overwritten; move it away first, then restore`,
      );
    }
    if (!exists(dirname(record.path))) {
      throw new QuarantineConflictError(`${dirname(record.path)} no longer exists: create it first, then restore`);
    }
    refuseLinkedDirectory(record.path, 'restore refused', QuarantineConflictError);
    const stored = join(this.dir, id);
    putBack(stored, record);
    unlinkSync(recordPath);
    return record;
  }
}

/**
 * The agent runs as root in directories its users own: a directory of the path swapped for a symbolic
 * link (between the scan and the move, or before a restore) would make it move or create a file
 * elsewhere (/etc). Refused when a directory of the path is a symbolic link that root does not own (a
 * site's own `/home -> /data/home`, made by root, is followed).
 */
function refuseLinkedDirectory(path: string, what: string, ErrorClass: new (message: string) => Error = Error): void {
  const parts = dirname(path).split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const dir = `/${parts.slice(0, i).join('/')}`;
    const st = lstatSync(dir);
    if (st.isSymbolicLink() && st.uid !== 0) {
      throw new ErrorClass(`${dir} is now a symbolic link made by a user (uid ${st.uid}); ${what}`);
    }
  }
}

/**
 * Owner and mode are set on the stored copy first (in root's 0700 directory), then the file is linked
 * in place, which fails rather than overwrite (a file created meanwhile) and never follows a link put
 * there; across file systems, a new file is created exclusively (O_EXCL, O_NOFOLLOW) and filled.
 */
function putBack(stored: string, record: QuarantineRecord): void {
  chownSync(stored, record.uid, record.gid);
  chmodSync(stored, record.mode);
  try {
    linkSync(stored, record.path);
    unlinkSync(stored);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV') {
      // Still quarantined: unreadable again.
      chmodSync(stored, 0);
      chownSync(stored, 0, 0);
      if (code === 'EEXIST') throw new QuarantineConflictError(`${record.path} exists again: it is not overwritten`);
      throw err;
    }
  }
  let fd: number;
  try {
    fd = openSync(record.path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (err) {
    chmodSync(stored, 0);
    chownSync(stored, 0, 0);
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new QuarantineConflictError(`${record.path} exists again: it is not overwritten`);
    }
    throw err;
  }
  try {
    writeFileSync(fd, readFileSync(stored));
    fchownSync(fd, record.uid, record.gid);
    fchmodSync(fd, record.mode);
  } finally {
    closeSync(fd);
  }
  unlinkSync(stored);
}

function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(from, to);
    unlinkSync(from);
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

function readRecord(path: string): QuarantineRecord {
  const r = JSON.parse(readFileSync(path, 'utf8')) as Partial<QuarantineRecord>;
  const ok =
    typeof r.id === 'string' &&
    typeof r.path === 'string' &&
    typeof r.signature === 'string' &&
    typeof r.quarantinedAt === 'string' &&
    [r.mode, r.uid, r.gid, r.sizeBytes].every((n) => Number.isInteger(n));
  if (!ok) throw new Error('not a quarantine record');
  // The stored file must still be there for the record to mean anything.
  statSync(join(dirname(path), r.id as string));
  return r as QuarantineRecord;
}
