import type { WebTerminalServerMessage } from '@bascule/protocol';

/** What the terminal socket reports to the page. */
export interface TerminalSocketHandlers {
  /** Output to show; call `written` once xterm.js has written it (`term.write(data, written)`). */
  output(data: Uint8Array, written: () => void): void;
  opened(sid: string, hostname: string): void;
  exit(code: number | null, signal: string | null): void;
  /** The session is over (`closed`), could not open (`error`), or the socket dropped (`lost`). */
  ended(end: TerminalEnd): void;
}

export type TerminalEnd =
  | { kind: 'closed'; code: string; message: string }
  | { kind: 'error'; code: string; message: string; details: Record<string, string> }
  /** The socket closed without a word from the hub: refused before the upgrade, or the network. */
  | { kind: 'lost'; wasOpen: boolean; closeCode: number };

// WebSocket.readyState values (the constants are not on the class in every runtime the specs use).
const CONNECTING = 0;
const OPEN = 1;

/** Acks are sent at most this often… */
const ACK_DELAY_MS = 10;
/** …unless this many bytes are waiting to be acknowledged. */
const ACK_EAGER_BYTES = 64 * 1024;

export function terminalUrl(
  location: { protocol: string; host: string },
  deviceId: string,
  opts: { as: 'root' | 'user'; cols: number; rows: number },
): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const q = new URLSearchParams({ as: opts.as, cols: String(opts.cols), rows: String(opts.rows) });
  return `${scheme}://${location.host}/api/v1/devices/${encodeURIComponent(deviceId)}/terminal?${q}`;
}

/**
 * The browser's end of `wss://HUB/api/v1/devices/{id}/terminal` (docs/rest-api.md): terminal bytes as
 * binary messages, JSON control messages as text. Output is acknowledged once written, which is the
 * flow control: a tab that cannot keep up pauses the shell on the desktop instead of piling up bytes.
 */
export class TerminalSocket {
  private readonly ws: WebSocket;
  private readonly encoder = new TextEncoder();
  private pendingAck = 0;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private isOpen = false;
  private over = false;

  constructor(
    url: string,
    private readonly handlers: TerminalSocketHandlers,
    createSocket: (url: string) => WebSocket = (u) => new WebSocket(u),
  ) {
    this.ws = createSocket(url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.onmessage = (event: MessageEvent) => this.onMessage(event.data);
    this.ws.onclose = (event: CloseEvent) => this.onClose(event.code);
  }

  get opened(): boolean {
    return this.isOpen && !this.over;
  }

  /** Keystrokes from xterm.js (`term.onData`). */
  input(text: string): void {
    this.sendBytes(this.encoder.encode(text));
  }

  /** Raw bytes from xterm.js (`term.onBinary`: some mouse reports). */
  inputBinary(binaryString: string): void {
    this.sendBytes(Uint8Array.from(binaryString, (c) => c.charCodeAt(0) & 0xff));
  }

  resize(cols: number, rows: number): void {
    if (this.ws.readyState === OPEN && cols > 0 && rows > 0) {
      this.ws.send(JSON.stringify({ type: 'resize', cols: Math.min(cols, 1000), rows: Math.min(rows, 1000) }));
    }
  }

  /** Ends the session (the hub closes it on the device). */
  close(): void {
    clearTimeout(this.ackTimer);
    if (this.ws.readyState === CONNECTING || this.ws.readyState === OPEN) this.ws.close(1000);
  }

  private sendBytes(bytes: Uint8Array): void {
    if (this.ws.readyState === OPEN && bytes.length > 0) this.ws.send(bytes);
  }

  private onMessage(data: unknown): void {
    if (data instanceof ArrayBuffer) {
      const bytes = new Uint8Array(data);
      let acked = false;
      this.handlers.output(bytes, () => {
        if (acked) return;
        acked = true;
        this.written(bytes.length);
      });
      return;
    }
    let msg: WebTerminalServerMessage;
    try {
      msg = JSON.parse(String(data)) as WebTerminalServerMessage;
    } catch {
      // The hub only sends JSON text; anything else is a bug worth seeing in the console.
      console.error('terminal: a text message from the hub is not JSON', data);
      return;
    }
    switch (msg.type) {
      case 'opened':
        this.isOpen = true;
        this.handlers.opened(msg.sid, msg.hostname);
        return;
      case 'exit':
        this.handlers.exit(msg.code, msg.signal);
        return;
      case 'closed':
        this.end({ kind: 'closed', code: msg.code, message: msg.message });
        return;
      case 'error':
        this.end({ kind: 'error', code: msg.code, message: msg.message, details: msg.details ?? {} });
        return;
    }
  }

  private written(bytes: number): void {
    if (this.over) return;
    this.pendingAck += bytes;
    if (this.pendingAck >= ACK_EAGER_BYTES) {
      this.flushAck();
      return;
    }
    this.ackTimer ??= setTimeout(() => this.flushAck(), ACK_DELAY_MS);
  }

  private flushAck(): void {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.pendingAck === 0 || this.ws.readyState !== OPEN) return;
    this.ws.send(JSON.stringify({ type: 'ack', bytes: this.pendingAck }));
    this.pendingAck = 0;
  }

  private onClose(code: number): void {
    clearTimeout(this.ackTimer);
    this.end({ kind: 'lost', wasOpen: this.isOpen, closeCode: code });
  }

  private end(end: TerminalEnd): void {
    if (this.over) return;
    this.over = true;
    this.handlers.ended(end);
  }
}
