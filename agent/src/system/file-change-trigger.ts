import { existsSync, type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../logging/logger.js';
import type { Clock, Timer } from './clock.js';

/** Something that says "look again": start() begins watching, stop() leaves nothing running. */
export interface ChangeTrigger {
  start(onChange: () => void): void;
  stop(): void;
}

/**
 * The files whose change means "the installed packages or the available updates changed": dpkg
 * rewrites status by rename; apt's daily update touches update-stamp, and update-notifier's apt hook
 * update-success-stamp after each successful `apt update` (new lists: new pending updates).
 */
export const PACKAGE_DATABASE_FILES = [
  '/var/lib/dpkg/status',
  '/var/lib/apt/periodic/update-stamp',
  '/var/lib/apt/periodic/update-success-stamp',
];

/**
 * Calls `onChange` once, `debounceMs` after the last change of any of the files: an `apt upgrade`
 * rewrites dpkg's status dozens of times, and only the end state is worth an inventory. Watches each
 * file's directory (inotify through fs.watch) rather than the file, since dpkg replaces the file by a
 * rename and a watch on the old inode would go deaf. A directory that does not exist is skipped.
 */
export class FileChangeTrigger implements ChangeTrigger {
  private watchers: FSWatcher[] = [];
  private timer: Timer | undefined;

  constructor(
    private readonly files: readonly string[],
    private readonly debounceMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(onChange: () => void): void {
    const byDir = new Map<string, Set<string>>();
    for (const file of this.files) {
      const names = byDir.get(dirname(file)) ?? new Set<string>();
      names.add(basename(file));
      byDir.set(dirname(file), names);
    }
    for (const [dir, names] of byDir) {
      if (!existsSync(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: false }, (_event, name) => {
          if (name === null || names.has(name.toString())) this.changed(onChange);
        });
        watcher.on('error', (err) => this.logger.warn('inventory: watch failed', { dir, error: err }));
        this.watchers.push(watcher);
      } catch (err) {
        // No inotify watch left (fs.inotify.max_user_watches): the daily inventory still runs.
        this.logger.warn('inventory: cannot watch for package changes', { dir, error: err as Error });
      }
    }
  }

  stop(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private changed(onChange: () => void): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      onChange();
    }, this.debounceMs);
  }
}
