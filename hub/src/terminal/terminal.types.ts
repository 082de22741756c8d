import type { TerminalClose } from '@bascule/protocol';
import type { Role } from '../auth/user.repository.js';

/** The person opening a session, as authenticated by the SSH gateway or the session cookie. */
export interface TerminalUser {
  id: string;
  username: string;
  role: Role;
}

/** What the SSH gateway or the browser asks for. */
export interface TerminalRequest {
  user: TerminalUser;
  /** The device's id or hostname (case-insensitive). */
  deviceRef: string;
  via: 'ssh' | 'web';
  /** `shell`: interactive login shell; `exec`: run `command` and return its exit status. */
  mode: 'shell' | 'exec';
  command?: string;
  /** A terminal on the device (always for `shell`; for `exec` when the client asked for one, `ssh -t`). */
  pty: boolean;
  /** `root`, or the user signed in to the desktop. */
  as: 'root' | 'user';
  term?: string;
  size: { cols: number; rows: number };
  /** IP address of the helpdesk's machine, for the audit trail. */
  clientAddress?: string;
}

/**
 * The helpdesk's end of a session (an SSH channel or a WebSocket), implemented by each front end.
 * The service calls these; none of them may throw.
 */
export interface TerminalClient {
  /**
   * Output from the device. Call `consumed()` once the bytes are handed on (written to the SSH channel
   * without back-pressure, or acknowledged by the browser): it releases the agent's flow-control window,
   * so a client that never reads stops the pty on the desktop instead of filling memory.
   */
  output(stream: 'stdout' | 'stderr', data: Buffer, consumed: () => void): void;
  /** The process on the device ended; `closed` follows. */
  exit(code: number | null, signal: string | null): void;
  /** The session is over (after `exit`, or timed out, device gone, hub stopping…). Called once. */
  closed(close: TerminalClose): void;
}

/** The running session, as a front end drives it. */
export interface TerminalHandle {
  readonly id: string;
  readonly deviceId: string;
  readonly hostname: string;
  input(data: Buffer): void;
  /** End of the helpdesk's input (stdin of an `exec` without a terminal). */
  eof(): void;
  resize(cols: number, rows: number): void;
  /** The helpdesk side went away or asked to stop. Idempotent. */
  close(code: 'client-closed' | 'hub-stopping', message: string): void;
}

/** Why a session could not be opened. `code` is stable (front ends translate it); `message` is English. */
export type TerminalOpenErrorCode =
  | 'forbidden'
  | 'unknown-device'
  | 'ambiguous-device'
  | 'device-offline'
  | 'no-answer'
  | 'too-many-sessions'
  | 'consent-refused'
  | 'no-desktop-user'
  | 'disabled'
  | 'refused';

export class TerminalOpenError extends Error {
  override name = 'TerminalOpenError';
  constructor(
    readonly code: TerminalOpenErrorCode,
    message: string,
    /** Values for the front end's translated message: hostname, lastSeenAt, candidates… */
    readonly details: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** What the SSH gateway and the WebSocket endpoint need from the terminal service. */
export interface TerminalOpener {
  /** Resolves once the agent has started the process; rejects with TerminalOpenError otherwise. */
  open(request: TerminalRequest, client: TerminalClient): Promise<TerminalHandle>;
}
