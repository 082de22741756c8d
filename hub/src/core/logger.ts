import type { LoggerService } from '@nestjs/common';

/** Keys whose values never reach a log line, at any depth. */
const SECRET_KEYS = /pass(word)?|secret|token|cookie|authorization|private|key$/i;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

/** Where log lines go; stdout in production (journald keeps it), an array in tests. */
export type LogSink = (line: string) => void;

/**
 * One JSON line per event. Passed to whoever needs it (no module-level logger), with `child()` adding
 * context such as the component or device id. Secret-looking fields are redacted before writing.
 */
export class Logger implements LoggerService {
  constructor(
    private readonly sink: LogSink,
    private readonly minLevel: LogLevel = 'info',
    private readonly context: LogFields = {},
  ) {}

  child(context: LogFields): Logger {
    return new Logger(this.sink, this.minLevel, { ...this.context, ...context });
  }

  debug(msg: string, fields?: LogFields): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.write('error', msg, fields);
  }

  // LoggerService (NestJS) adapters: Nest passes the context name as the last string argument.
  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', String(message), nestContext(rest));
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', String(message), nestContext(rest));
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('error', String(message), nestContext(rest));
  }

  private write(level: LogLevel, msg: string, fields?: LogFields): void {
    if (LEVELS[level] < LEVELS[this.minLevel]) return;
    const line = { ts: new Date().toISOString(), level, msg, ...this.context, ...redact(fields ?? {}) };
    this.sink(JSON.stringify(line, errorReplacer));
  }
}

function nestContext(rest: unknown[]): LogFields {
  const last = rest.at(-1);
  return typeof last === 'string' ? { component: last } : {};
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_KEYS.test(k)) out[k] = '[redacted]';
    else if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Error)) out[k] = redact(v as LogFields);
    else out[k] = v;
  }
  return out;
}

export function stdoutLogger(level: LogLevel = 'info'): Logger {
  return new Logger((line) => process.stdout.write(`${line}\n`), level, { svc: 'bascule-hub' });
}
