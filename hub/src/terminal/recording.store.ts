import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/** The asciicast v2 header (https://docs.asciinema.org/manual/asciicast/v2/). */
export interface AsciicastHeader {
  width: number;
  height: number;
  /** Unix time (seconds) of the start. */
  timestamp: number;
  title: string;
  env: { TERM: string };
}

/**
 * One session's recording, appended as the output flows: a header line, then `[seconds, "o", text]`
 * for output and `[seconds, "r", "COLSxROWS"]` for resizes. Writes are synchronous and small (one
 * frame at most 64 KiB), so memory stays flat however much the session prints; output is decoded as
 * UTF-8 across frame boundaries. Input is not recorded: it would capture passwords typed without echo.
 */
export class RecordingWriter {
  private readonly decoder = new StringDecoder('utf8');
  private closed = false;

  constructor(
    private readonly fd: number,
    private readonly startMs: number,
  ) {}

  output(data: Buffer, atMs: number): void {
    const text = this.decoder.write(data);
    if (text.length > 0) this.event(atMs, 'o', text);
  }

  resize(cols: number, rows: number, atMs: number): void {
    this.event(atMs, 'r', `${cols}x${rows}`);
  }

  close(atMs: number): void {
    if (this.closed) return;
    const rest = this.decoder.end();
    if (rest.length > 0) this.event(atMs, 'o', rest);
    this.closed = true;
    fs.closeSync(this.fd);
  }

  private event(atMs: number, type: 'o' | 'r', data: string): void {
    if (this.closed) return;
    const seconds = Math.max(0, (atMs - this.startMs) / 1000);
    fs.writeSync(this.fd, `${JSON.stringify([Number(seconds.toFixed(6)), type, data])}\n`);
  }
}

/** Recordings on disk, one `.cast` file per session, in the hub's data directory (0700). */
export class RecordingStore {
  constructor(private readonly dir: string) {}

  create(sessionId: string, header: AsciicastHeader, startMs: number): { file: string; writer: RecordingWriter } {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = `${sessionId}.cast`;
    const fd = fs.openSync(path.join(this.dir, file), 'wx', 0o600);
    fs.writeSync(fd, `${JSON.stringify({ version: 2, ...header })}\n`);
    return { file, writer: new RecordingWriter(fd, startMs) };
  }

  /** A readable stream of a recording, or undefined when the file is gone. */
  open(file: string): fs.ReadStream | undefined {
    const full = this.pathOf(file);
    return fs.existsSync(full) ? fs.createReadStream(full) : undefined;
  }

  size(file: string): number | undefined {
    try {
      return fs.statSync(this.pathOf(file)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  remove(file: string): void {
    fs.rmSync(this.pathOf(file), { force: true });
  }

  private pathOf(file: string): string {
    // File names come from our own rows; refuse anything that could leave the directory anyway.
    if (!/^[0-9A-Z]{26}\.cast$/.test(file)) throw new Error(`not a recording file name: ${file}`);
    return path.join(this.dir, file);
  }
}
