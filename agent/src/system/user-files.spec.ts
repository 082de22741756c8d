import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalUserFiles } from './user-files.js';

let root: string;
let home: string;
const files = new LocalUserFiles();
const owner = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'user-files-'));
  home = join(root, 'home', 'jdupont');
  mkdirSync(home, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('files in a home directory', () => {
  it('creates the directories between (0700) and writes the file with its mode', () => {
    const path = join(home, '.local/share/remmina/bascule-x.remmina');
    files.write(home, path, '[remmina]\n', 0o600, owner);
    expect(readFileSync(path, 'utf8')).toBe('[remmina]\n');
    expect(lstatSync(path).mode & 0o777).toBe(0o600);
    expect(lstatSync(join(home, '.local')).mode & 0o777).toBe(0o700);
    expect(files.read(path)).toBe('[remmina]\n');
    files.remove(path);
    expect(files.read(path)).toBeNull();
  });

  it('never follows a link the user planted: neither a directory nor the file itself', () => {
    const target = join(root, 'etc');
    mkdirSync(target);
    mkdirSync(join(home, '.local/share'), { recursive: true });
    symlinkSync(target, join(home, '.local/share/remmina'));
    expect(() => files.write(home, join(home, '.local/share/remmina/x.remmina'), 'x', 0o600, owner)).toThrow(
      /not a directory/,
    );
    mkdirSync(join(home, '.local/share/applications'));
    const shadow = join(target, 'shadow');
    writeFileSync(shadow, 'root:secret\n');
    const link = join(home, '.local/share/applications/x.desktop');
    symlinkSync(shadow, link);
    expect(() => files.read(link)).toThrow(/not a regular file/);
    expect(() => files.write(home, link, 'pwned', 0o644, owner)).toThrow(/not a regular file/);
    files.remove(link);
    expect(readFileSync(shadow, 'utf8')).toBe('root:secret\n');
  });

  it('refuses a path outside the home, and a home that does not exist', () => {
    expect(() => files.write(home, join(root, 'elsewhere/x'), 'x', 0o600, owner)).toThrow(/not under/);
    const none = join(root, 'home', 'nobody');
    expect(() => files.write(none, join(none, '.local/x'), 'x', 0o600, owner)).toThrow(/no home yet/);
  });
});
