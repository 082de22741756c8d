/** An asciicast v2 recording (https://docs.asciinema.org/manual/asciicast/v2/), as the hub writes it. */
export interface Asciicast {
  width: number;
  height: number;
  /** Unix time (seconds) of the start, when known. */
  timestamp?: number;
  title?: string;
  /** Output (`o`) and resize (`r`, data "COLSxROWS") events, in time order; other kinds are dropped. */
  events: CastEvent[];
  /** Time of the last event, in seconds. */
  duration: number;
}

export interface CastEvent {
  time: number;
  type: 'o' | 'r';
  data: string;
}

export class AsciicastError extends Error {
  override name = 'AsciicastError';
}

/**
 * Parses the text of a `.cast` file. A last line cut short is ignored: the recording of a session
 * still running ends wherever the hub had written up to.
 */
export function parseAsciicast(text: string): Asciicast {
  const lines = text.split('\n');
  let header: Record<string, unknown> | undefined;
  try {
    header = parseLine(lines[0] ?? '', 1) as Record<string, unknown> | undefined;
  } catch {
    header = undefined;
  }
  if (!header || typeof header !== 'object' || Array.isArray(header) || header.version !== 2) {
    throw new AsciicastError('not an asciicast v2 recording');
  }
  const width = positiveInt(header.width, 80);
  const height = positiveInt(header.height, 24);
  const events: CastEvent[] = [];
  let last = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const isLast = i === lines.length - 1;
    let value: unknown;
    try {
      value = parseLine(line, i + 1);
    } catch (err) {
      if (isLast) break;
      throw err;
    }
    if (!Array.isArray(value) || typeof value[0] !== 'number' || typeof value[1] !== 'string') {
      throw new AsciicastError(`line ${i + 1}: not an event`);
    }
    const [time, type, data] = value as [number, string, unknown];
    if (type !== 'o' && type !== 'r') continue;
    if (typeof data !== 'string') throw new AsciicastError(`line ${i + 1}: the event has no text`);
    // Times never go backwards in a valid file; clamp rather than replay out of order.
    last = Math.max(last, time);
    events.push({ time: last, type, data });
  }
  return {
    width,
    height,
    ...(typeof header.timestamp === 'number' ? { timestamp: header.timestamp } : {}),
    ...(typeof header.title === 'string' ? { title: header.title } : {}),
    events,
    duration: last,
  };
}

/** `"120x40"` → `{cols: 120, rows: 40}`, or undefined. */
export function parseSize(data: string): { cols: number; rows: number } | undefined {
  const m = /^(\d{1,4})x(\d{1,4})$/.exec(data);
  if (!m) return undefined;
  const cols = Number(m[1]);
  const rows = Number(m[2]);
  return cols > 0 && rows > 0 ? { cols, rows } : undefined;
}

function parseLine(line: string, n: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new AsciicastError(`line ${n} is not JSON`);
  }
}

function positiveInt(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 1000 ? v : fallback;
}
