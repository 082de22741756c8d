import type { TerminalOpenParams } from '@bascule/protocol';
import { DEVICE_ID_PATTERN } from '@bascule/protocol/runtime';
import { FieldError, type FieldIssue, FieldReader } from '../validation/field-reader.js';

const TERM = /^[A-Za-z0-9._+-]{1,64}$/;
const ULID_MESSAGE = 'expected a ULID';

/**
 * `terminal.open` params, checked by hand as `terminalOpenParamsSchema` says (the daemon does not load
 * zod). Throws a FieldError naming every bad field (`size.cols`, `requester.via`…).
 */
export function parseTerminalOpenParams(input: unknown): TerminalOpenParams {
  const issues: FieldIssue[] = [];
  const r = new FieldReader(input);
  const record = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const sid = r.string('sid', { pattern: DEVICE_ID_PATTERN, patternMessage: ULID_MESSAGE });
  const mode = r.oneOf('mode', ['shell', 'exec'] as const);
  const command = record.command === undefined ? undefined : r.string('command', { minLength: 1 });
  if (command !== undefined && command.length > 16_384) {
    issues.push({ path: 'command', message: 'must be at most 16384 characters long' });
  }
  const pty = r.boolean('pty');
  const as = r.oneOf('as', ['root', 'user'] as const);
  const term = r.string('term', {
    pattern: TERM,
    patternMessage: 'expected a terminal name such as xterm-256color',
    default: 'xterm-256color',
  });
  const idleTimeoutSeconds = r.number('idleTimeoutSeconds', { integer: true, min: 10, max: 86_400 });
  const maxDurationSeconds = r.number('maxDurationSeconds', { integer: true, min: 60, max: 7 * 86_400 });
  const size = nested(record, 'size', issues, (s) => ({
    cols: s.number('cols', { integer: true, min: 1, max: 1000 }),
    rows: s.number('rows', { integer: true, min: 1, max: 1000 }),
  }));
  const requester = nested(record, 'requester', issues, (q) => {
    const username = q.string('username', { minLength: 1 });
    return { username: username.slice(0, 64), via: q.oneOf('via', ['ssh', 'web'] as const) };
  });
  if (typeof record.requester === 'object' && record.requester !== null) {
    const name = (record.requester as Record<string, unknown>).username;
    if (typeof name === 'string' && name.length > 64) {
      issues.push({ path: 'requester.username', message: 'must be at most 64 characters long' });
    }
  }
  try {
    r.done();
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    issues.unshift(...err.issues);
  }
  if (issues.length === 0 && (mode === 'exec') !== (command !== undefined)) {
    issues.push({ path: 'command', message: 'command is required for exec and not allowed for shell' });
  }
  if (issues.length > 0) throw new FieldError(issues);
  const params: TerminalOpenParams = {
    sid,
    mode,
    pty,
    as,
    term,
    size,
    requester,
    idleTimeoutSeconds,
    maxDurationSeconds,
  };
  if (command !== undefined) params.command = command;
  return params;
}

/** Reads one nested object with its own FieldReader; its issues are named `key.field`. */
function nested<T>(record: Record<string, unknown>, key: string, issues: FieldIssue[], read: (r: FieldReader) => T): T {
  const r = new FieldReader(record[key]);
  const value = read(r);
  try {
    r.done();
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    for (const issue of err.issues) {
      issues.push({ path: issue.path === '(root)' ? key : `${key}.${issue.path}`, message: issue.message });
    }
  }
  return value;
}
