import type { StateDirectory } from './state-directory.js';

/**
 * One small file of the agent's state directory, read and written whole. Shared by the `apply` child
 * process, which writes it, and the daemon, which reads it (no zod here).
 */
export interface StateFile {
  /** Its absolute path, for messages. */
  readonly path: string;
  /** The file's text, or null when it does not exist; other errors (EACCES) are thrown. */
  read(): string | null;
  /** Atomic (temporary file, fsync, rename), mode 0600, its directory created 0700 if needed. */
  write(text: string): void;
  /** Nothing happens when it is already gone. */
  remove(): void;
}

/** `name` (e.g. `config/remote-shell.json`) in the state directory. */
export class StateDirectoryFile implements StateFile {
  constructor(
    private readonly dir: StateDirectory,
    private readonly name: string,
  ) {}

  get path(): string {
    return this.dir.path(this.name);
  }

  read(): string | null {
    return this.dir.read(this.name)?.toString('utf8') ?? null;
  }

  write(text: string): void {
    const slash = this.name.lastIndexOf('/');
    this.dir.ensure(slash > 0 ? this.name.slice(0, slash) : undefined);
    this.dir.writeAtomic(this.name, text);
  }

  remove(): void {
    this.dir.remove(this.name);
  }
}

/** For tests: the text in memory. */
export class MemoryStateFile implements StateFile {
  constructor(
    public text: string | null = null,
    readonly path = '/var/lib/bascule-agent/test-file.json',
  ) {}

  read(): string | null {
    return this.text;
  }

  write(text: string): void {
    this.text = text;
  }

  remove(): void {
    this.text = null;
  }
}
