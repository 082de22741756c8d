import type { ConsentAnswer } from '../system/desktop-prompts.js';
import type { DesktopUser } from '../system/desktop-sessions.js';
import type { TerminalProcess, TerminalSpawnSpec } from '../system/terminal-process.js';
import type { UserAccount } from '../system/user-accounts.js';
import type { TerminalHost } from './terminal-host.js';

/** A process for tests: output and exit are driven by the test; what the session does is recorded. */
export class FakeTerminalProcess implements TerminalProcess {
  readonly pid = 4242;
  readonly written: Buffer[] = [];
  readonly signals: NodeJS.Signals[] = [];
  readonly resizes: Array<[number, number]> = [];
  paused = false;
  inputEnded = false;
  disposed = false;
  /** Exits on SIGHUP (a shell does); false for a process that ignores it. */
  diesOnHangup = true;
  private outputListener: (data: Buffer) => void = () => {};
  private errorListener: (data: Buffer) => void = () => {};
  private exitListener: (code: number | null, signal: string | null) => void = () => {};
  private exited = false;

  onOutput(listener: (data: Buffer) => void): void {
    this.outputListener = listener;
  }
  onErrorOutput(listener: (data: Buffer) => void): void {
    this.errorListener = listener;
  }
  onExit(listener: (code: number | null, signal: string | null) => void): void {
    this.exitListener = listener;
  }
  write(data: Buffer): void {
    this.written.push(Buffer.from(data));
  }
  endInput(): void {
    this.inputEnded = true;
  }
  resize(cols: number, rows: number): void {
    this.resizes.push([cols, rows]);
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  /** Other members of the group still running after the leader exited. */
  groupSurvivesLeader = false;

  signalGroup(signal: NodeJS.Signals | 0): boolean {
    if (signal === 0) return !this.exited || this.groupSurvivesLeader;
    if (this.exited && signal !== 'SIGHUP' && !this.groupSurvivesLeader) return false;
    this.signals.push(signal);
    if (!this.exited && (signal === 'SIGKILL' || (signal === 'SIGHUP' && this.diesOnHangup))) {
      queueMicrotask(() => this.exit(null, signal));
    }
    return true;
  }
  dispose(): void {
    this.disposed = true;
  }

  /** The process writes to its output (or stderr). */
  emit(data: Buffer | string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    (stream === 'stdout' ? this.outputListener : this.errorListener)(Buffer.from(data));
  }
  exit(code: number | null, signal: string | null = null): void {
    if (this.exited) return;
    this.exited = true;
    this.exitListener(code, signal);
  }
  get hasExited(): boolean {
    return this.exited;
  }
}

export interface FakeHostOptions {
  desktop?: DesktopUser | null;
  consent?: ConsentAnswer;
  spawnError?: Error;
}

/** A TerminalHost for tests; every spawned process is a FakeTerminalProcess kept in `processes`. */
export class FakeTerminalHost implements TerminalHost {
  readonly processes: FakeTerminalProcess[] = [];
  readonly specs: TerminalSpawnSpec[] = [];
  readonly notifications: Array<{ user: string; summary: string; body: string }> = [];
  readonly questions: Array<{ user: string; text: string; timeout: number }> = [];
  desktop: DesktopUser | null;
  consent: ConsentAnswer;
  spawnError: Error | undefined;

  constructor(options: FakeHostOptions = {}) {
    this.desktop = options.desktop === undefined ? null : options.desktop;
    this.consent = options.consent ?? 'accepted';
    this.spawnError = options.spawnError;
  }

  async activeDesktopUser(): Promise<DesktopUser | null> {
    return this.desktop;
  }
  async account(name: string): Promise<UserAccount> {
    return name === 'root'
      ? { name, uid: 0, gid: 0, home: '/root', shell: '/bin/bash' }
      : { name, uid: 1000, gid: 1000, home: `/home/${name}`, shell: '/bin/zsh' };
  }
  systemLang(): string | undefined {
    return 'fr_FR.UTF-8';
  }
  async spawn(spec: TerminalSpawnSpec): Promise<TerminalProcess> {
    if (this.spawnError) throw this.spawnError;
    this.specs.push(spec);
    const p = new FakeTerminalProcess();
    this.processes.push(p);
    return p;
  }
  async notify(user: DesktopUser, summary: string, body: string): Promise<void> {
    this.notifications.push({ user: user.name, summary, body });
  }
  async ask(user: DesktopUser, _title: string, text: string, timeout: number): Promise<ConsentAnswer> {
    this.questions.push({ user: user.name, text, timeout });
    return this.consent;
  }
}

export const ALICE_DESKTOP: DesktopUser = { name: 'marie', uid: 1000, sessionId: '2', type: 'wayland', display: null };
