/** Fields attached to a log event. Never put a secret or a token in them. */
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Defence in depth: a field with one of these names is masked even if a caller passes it by mistake.
const SECRET_KEYS = /^(secret|token|password|authorization)$/i;

function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_KEYS.test(key)) out[key] = '[redacted]';
    else if (value instanceof Error) out[key] = { name: value.name, message: value.message };
    else out[key] = value;
  }
  return out;
}

export interface JsonLoggerOptions {
  write: (line: string) => void;
  now?: () => Date;
  minLevel?: Level;
}

/** One JSON object per line (journald keeps stdout), as the design's logging contract says. */
export function createJsonLogger(options: JsonLoggerOptions): Logger {
  const now = options.now ?? (() => new Date());
  const min = LEVELS[options.minLevel ?? 'info'];
  const log = (level: Level, msg: string, fields?: LogFields) => {
    if (LEVELS[level] < min) return;
    const event = { ts: now().toISOString(), level, msg, ...(fields ? redact(fields) : {}) };
    options.write(`${JSON.stringify(event)}\n`);
  };
  return {
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
  };
}

export function createStdoutLogger(minLevel: Level = 'info'): Logger {
  return createJsonLogger({ write: (line) => process.stdout.write(line), minLevel });
}

/** A logger that records events; for tests. */
export function createMemoryLogger(): Logger & { events: Array<{ level: Level; msg: string } & LogFields> } {
  const events: Array<{ level: Level; msg: string } & LogFields> = [];
  const logger = createJsonLogger({
    write: (line) => events.push(JSON.parse(line)),
    minLevel: 'debug',
  });
  return Object.assign(logger, { events });
}
