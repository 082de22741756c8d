/**
 * Remote terminal streams: binary frames on `term/{sid}/in` (hub → agent) and `term/{sid}/out`
 * (agent → hub), MQTT QoS 0. Zod-free: the agent daemon encodes and decodes them on every keystroke.
 *
 * Frame: `[type u8][seq u32 BE][body]`. `seq` starts at 1 for each direction of each session and
 * grows by one per frame; a receiver drops a frame whose seq it has seen (duplicate), puts back in
 * order a few frames that arrive early, and closes the session when a frame is lost.
 */

export const TERMINAL_FRAME = {
  /** Output of the pty (or stdout of a command), or input from the helpdesk: raw bytes. */
  data: 1,
  /** stderr of a command run without a pty (agent → hub only). */
  stderr: 2,
  /** hub → agent: total output bytes (data + stderr bodies) consumed so far, f64 BE. */
  ack: 3,
  /** hub → agent: terminal size, cols u16 BE, rows u16 BE. */
  resize: 4,
  /** agent → hub: the process ended: exit code i32 BE (-1 when killed by a signal), then the signal name (UTF-8). */
  exit: 5,
  /** either way: the session is over; body is a UTF-8 JSON `{code, message}`. */
  close: 6,
  /** hub → agent: end of input (the helpdesk's stdin closed; `ssh host cmd < file`). */
  eof: 7,
} as const;

export type TerminalFrameType = (typeof TERMINAL_FRAME)[keyof typeof TERMINAL_FRAME];

/** Largest body of one data frame; larger writes are split. */
export const TERMINAL_MAX_CHUNK = 64 * 1024;
/** The agent pauses the process when this many output bytes are sent but not acknowledged… */
export const TERMINAL_HIGH_WATER = 512 * 1024;
/** …and resumes it when the unacknowledged bytes fall below this. */
export const TERMINAL_LOW_WATER = 128 * 1024;
/** Frames that may arrive ahead of a missing one before the stream is declared broken. */
export const TERMINAL_REORDER_WINDOW = 64;

/** Why a session closed; carried in `close` frames and stored in the audit trail. */
export type TerminalCloseCode =
  | 'exit'
  | 'client-closed'
  | 'idle-timeout'
  | 'max-duration'
  | 'device-offline'
  | 'stream-broken'
  | 'hub-stopping'
  | 'agent-stopping'
  | 'protocol-error'
  | 'unknown-session';

export interface TerminalClose {
  code: TerminalCloseCode;
  message: string;
}

export type TerminalFrame =
  | { type: typeof TERMINAL_FRAME.data; seq: number; data: Buffer }
  | { type: typeof TERMINAL_FRAME.stderr; seq: number; data: Buffer }
  | { type: typeof TERMINAL_FRAME.ack; seq: number; consumed: number }
  | { type: typeof TERMINAL_FRAME.resize; seq: number; cols: number; rows: number }
  | { type: typeof TERMINAL_FRAME.exit; seq: number; code: number; signal: string | null }
  | { type: typeof TERMINAL_FRAME.close; seq: number; close: TerminalClose }
  | { type: typeof TERMINAL_FRAME.eof; seq: number };

export class TerminalFrameError extends Error {
  override name = 'TerminalFrameError';
}

const HEADER = 5;
const MAX_SEQ = 0xffff_ffff;

/** Encodes one frame. Data bodies are not copied beyond the header concatenation. */
export function encodeTerminalFrame(frame: TerminalFrame): Buffer {
  if (!Number.isInteger(frame.seq) || frame.seq < 1 || frame.seq > MAX_SEQ) {
    throw new TerminalFrameError(`sequence number ${frame.seq} out of range`);
  }
  const header = Buffer.allocUnsafe(HEADER);
  header.writeUInt8(frame.type, 0);
  header.writeUInt32BE(frame.seq, 1);
  switch (frame.type) {
    case TERMINAL_FRAME.data:
    case TERMINAL_FRAME.stderr:
      return Buffer.concat([header, frame.data]);
    case TERMINAL_FRAME.ack: {
      const body = Buffer.allocUnsafe(8);
      body.writeDoubleBE(frame.consumed, 0);
      return Buffer.concat([header, body]);
    }
    case TERMINAL_FRAME.resize: {
      const body = Buffer.allocUnsafe(4);
      body.writeUInt16BE(clampSize(frame.cols), 0);
      body.writeUInt16BE(clampSize(frame.rows), 2);
      return Buffer.concat([header, body]);
    }
    case TERMINAL_FRAME.exit: {
      const body = Buffer.allocUnsafe(4);
      body.writeInt32BE(frame.code, 0);
      return Buffer.concat([header, body, Buffer.from(frame.signal ?? '', 'utf8')]);
    }
    case TERMINAL_FRAME.close:
      return Buffer.concat([header, Buffer.from(JSON.stringify(frame.close), 'utf8')]);
    case TERMINAL_FRAME.eof:
      return header;
  }
}

/** Decodes one frame; throws TerminalFrameError on anything malformed (never a generic crash). */
export function decodeTerminalFrame(payload: Uint8Array): TerminalFrame {
  const buf = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  if (buf.length < HEADER) throw new TerminalFrameError(`frame of ${buf.length} bytes is shorter than its header`);
  const type = buf.readUInt8(0);
  const seq = buf.readUInt32BE(1);
  if (seq < 1) throw new TerminalFrameError('sequence number 0 is not valid');
  const body = buf.subarray(HEADER);
  switch (type) {
    case TERMINAL_FRAME.data:
    case TERMINAL_FRAME.stderr:
      if (body.length > TERMINAL_MAX_CHUNK) {
        throw new TerminalFrameError(`data frame of ${body.length} bytes exceeds ${TERMINAL_MAX_CHUNK}`);
      }
      return { type, seq, data: body };
    case TERMINAL_FRAME.ack: {
      expectLength(body, 8, 'ack');
      const consumed = body.readDoubleBE(0);
      if (!Number.isSafeInteger(consumed) || consumed < 0) throw new TerminalFrameError('ack count is not valid');
      return { type, seq, consumed };
    }
    case TERMINAL_FRAME.resize: {
      expectLength(body, 4, 'resize');
      const cols = body.readUInt16BE(0);
      const rows = body.readUInt16BE(2);
      if (cols < 1 || rows < 1) throw new TerminalFrameError(`terminal size ${cols}x${rows} is not valid`);
      return { type, seq, cols, rows };
    }
    case TERMINAL_FRAME.exit: {
      if (body.length < 4) throw new TerminalFrameError('exit frame too short');
      const signal = body.subarray(4).toString('utf8');
      return { type, seq, code: body.readInt32BE(0), signal: signal.length > 0 ? signal.slice(0, 32) : null };
    }
    case TERMINAL_FRAME.close:
      return { type, seq, close: parseClose(body) };
    case TERMINAL_FRAME.eof:
      expectLength(body, 0, 'eof');
      return { type, seq };
    default:
      throw new TerminalFrameError(`unknown frame type ${type}`);
  }
}

/** Splits a buffer into data-frame-sized chunks. */
export function* terminalChunks(data: Buffer): Generator<Buffer> {
  for (let i = 0; i < data.length; i += TERMINAL_MAX_CHUNK) yield data.subarray(i, i + TERMINAL_MAX_CHUNK);
}

function parseClose(body: Buffer): TerminalClose {
  if (body.length > 4096) throw new TerminalFrameError('close frame too long');
  try {
    const value = JSON.parse(body.toString('utf8')) as Partial<TerminalClose>;
    if (typeof value.code === 'string' && typeof value.message === 'string') {
      return { code: value.code as TerminalCloseCode, message: value.message.slice(0, 500) };
    }
  } catch {
    // A close frame that is not JSON still closes the session; its text is kept as the message.
  }
  return { code: 'protocol-error', message: body.toString('utf8').slice(0, 500) };
}

function expectLength(body: Buffer, length: number, name: string): void {
  if (body.length !== length) throw new TerminalFrameError(`${name} frame body must be ${length} bytes`);
}

function clampSize(n: number): number {
  return Math.max(1, Math.min(0xffff, Math.trunc(n)));
}

/**
 * Puts one direction of a stream back in order. `accept` returns the frames now deliverable, in order
 * (often just the one given); a duplicate gives none; a gap wider than the window throws.
 */
export class TerminalSequencer {
  private next = 1;
  private readonly early = new Map<number, TerminalFrame>();

  constructor(private readonly window = TERMINAL_REORDER_WINDOW) {}

  accept(frame: TerminalFrame): TerminalFrame[] {
    if (frame.seq < this.next || this.early.has(frame.seq)) return [];
    if (frame.seq > this.next) {
      if (frame.seq - this.next > this.window || this.early.size >= this.window) {
        throw new TerminalFrameError(`frame ${this.next} lost (received ${frame.seq})`);
      }
      this.early.set(frame.seq, frame);
      return [];
    }
    const ready = [frame];
    this.next += 1;
    for (let f = this.early.get(this.next); f; f = this.early.get(this.next)) {
      this.early.delete(this.next);
      ready.push(f);
      this.next += 1;
    }
    return ready;
  }
}

/** Numbers the frames one side sends. */
export class TerminalSeqCounter {
  private last = 0;
  next(): number {
    this.last += 1;
    return this.last;
  }
}
