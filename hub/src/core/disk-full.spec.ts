import { describe, expect, it } from 'vitest';
import { isDiskFull } from './disk-full.js';

const withCode = (code: string) => Object.assign(new Error('write failed'), { code });

describe('isDiskFull', () => {
  it("knows SQLite's, PostgreSQL's and the kernel's way of saying it, down the cause chain", () => {
    expect(isDiskFull(withCode('SQLITE_FULL'))).toBe(true);
    expect(isDiskFull(withCode('53100'))).toBe(true); // PostgreSQL disk_full, on the database server
    expect(isDiskFull(new Error('outer', { cause: withCode('ENOSPC') }))).toBe(true);
    expect(isDiskFull(withCode('23505'))).toBe(false);
    expect(isDiskFull(new Error('no code'))).toBe(false);
    expect(isDiskFull(undefined)).toBe(false);
  });
});
