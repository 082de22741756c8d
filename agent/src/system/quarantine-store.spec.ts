import {
  chmodSync,
  chownSync,
  existsSync,
  lchownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuarantineConflictError, QuarantineNotFoundError, QuarantineStore } from './quarantine-store.js';

let root: string;
let store: QuarantineStore;
let n = 0;
const now = new Date('2026-12-03T10:00:00Z');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'quarantine-'));
  mkdirSync(join(root, 'home'));
  store = new QuarantineStore(join(root, 'state/quarantine'), () => `q${++n}`);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function infected(name: string, mode = 0o640, uid = 1000, gid = 1000): string {
  const path = join(root, 'home', name);
  writeFileSync(path, 'not really a virus');
  chmodSync(path, mode);
  if (process.getuid?.() === 0) chownSync(path, uid, gid);
  return path;
}

describe('QuarantineStore', () => {
  it('moves the file away, unreadable, with a record of where it was, its mode and owner', () => {
    const path = infected('x.exe', 0o640);
    const record = store.quarantine(path, 'Win.Test.EICAR_HDB-1', now);
    expect(existsSync(path)).toBe(false);
    const stored = join(root, 'state/quarantine', record.id);
    expect(statSync(stored).mode & 0o777).toBe(0);
    expect(statSync(join(root, 'state/quarantine')).mode & 0o777).toBe(0o700);
    expect(record).toMatchObject({ path, mode: 0o640, signature: 'Win.Test.EICAR_HDB-1', sizeBytes: 18 });
    expect(JSON.parse(readFileSync(`${stored}.json`, 'utf8'))).toEqual(record);
    expect(store.list()).toEqual({ records: [record], problems: [] });
  });

  it('restores the file with its mode and owner, and forgets the record', () => {
    const path = infected('x.exe', 0o604, 1234, 4321);
    const { id } = store.quarantine(path, 'Sig', now);
    expect(store.restore(id).path).toBe(path);
    const st = statSync(path);
    expect(st.mode & 0o7777).toBe(0o604);
    if (process.getuid?.() === 0) expect([st.uid, st.gid]).toEqual([1234, 4321]);
    expect(readFileSync(path, 'utf8')).toBe('not really a virus');
    expect(store.list().records).toEqual([]);
    expect(() => store.restore(id)).toThrow(QuarantineNotFoundError);
  });

  it('refuses to overwrite a file that is where the quarantined one was, and keeps it quarantined', () => {
    const path = infected('x.exe');
    const { id } = store.quarantine(path, 'Sig', now);
    writeFileSync(path, 'a new file');
    expect(() => store.restore(id)).toThrow(QuarantineConflictError);
    expect(() => store.restore(id)).toThrow(/exists again: it is not overwritten/);
    expect(readFileSync(path, 'utf8')).toBe('a new file');
    expect(store.list().records.map((r) => r.id)).toEqual([id]);
  });

  it('refuses ids that are not its own', () => {
    expect(() => store.restore('../../etc/passwd')).toThrow(QuarantineNotFoundError);
    expect(() => store.restore('nope')).toThrow(/no quarantined file has the id nope/);
  });

  it('leaves anything but a regular file in place', () => {
    mkdirSync(join(root, 'home/dir'));
    expect(() => store.quarantine(join(root, 'home/dir'), 'Sig', now)).toThrow(/not a regular file/);
    expect(existsSync(join(root, 'home/dir'))).toBe(true);
  });

  // Owners of links can only be set by root.
  it.skipIf(process.getuid?.() !== 0)(
    'never follows a directory swapped for a symbolic link, to quarantine or to restore',
    () => {
      mkdirSync(join(root, 'home/dl'));
      mkdirSync(join(root, 'etc'));
      writeFileSync(join(root, 'etc/shadow'), 'root:x');
      const path = join(root, 'home/dl/x.exe');
      writeFileSync(path, 'virus');
      const { id } = store.quarantine(path, 'Sig', now);
      // The user replaces the directory by a link to a directory of the system.
      renameSync(join(root, 'home/dl'), join(root, 'home/dl.old'));
      symlinkSync(join(root, 'etc'), join(root, 'home/dl'));
      // Made by a user (root's own links are followed).
      lchownSync(join(root, 'home/dl'), 1000, 1000);
      expect(() => store.restore(id)).toThrow(QuarantineConflictError);
      expect(() => store.restore(id)).toThrow(/symbolic link made by a user \(uid 1000\); restore refused/);
      expect(existsSync(join(root, 'etc/x.exe'))).toBe(false);
      expect(() => store.quarantine(join(root, 'home/dl/shadow'), 'Sig', now)).toThrow(
        /symbolic link made by a user \(uid 1000\); left in place/,
      );
      expect(readFileSync(join(root, 'etc/shadow'), 'utf8')).toBe('root:x');
      // The same link made by root (a site's /home on another disk) is followed.
      lchownSync(join(root, 'home/dl'), 0, 0);
      expect(store.restore(id).path).toBe(path);
      expect(existsSync(join(root, 'etc/x.exe'))).toBe(true);
    },
  );
});
