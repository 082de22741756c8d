import {
  chmodSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { StateError } from '../state/state-error.js';
import type { CommandRunner } from './command-runner.js';

export interface PrepareImageOptions {
  /** The system to prepare: `/` for this machine, or a mounted image. */
  root: string;
  /** The agent's state directory, inside root. */
  stateDir: string;
  /** A site token file (hub=, token=, ca-hash=) to leave for the first boot. */
  tokenFile?: string;
}

const TOKEN_PATH = 'etc/bascule/enroll.token';

/**
 * Turns a machine into a golden image: everything that must differ between its copies goes. The
 * agent's identity and queue are deleted; /etc/machine-id is emptied (systemd writes a new one at the
 * first boot, which is then a "first boot" for ConditionFirstBoot) and /var/lib/dbus/machine-id
 * becomes a link to it, as on a fresh install; the site token is left where the first-boot unit
 * (bascule-agent-enroll.service) finds it.
 */
export class ImagePreparer {
  constructor(private readonly runner: CommandRunner) {}

  async prepare(o: PrepareImageOptions): Promise<string[]> {
    const done: string[] = [];
    const at = (path: string) => join(o.root, path);
    const token = o.tokenFile ? checkSiteToken(o.tokenFile) : undefined;

    // The daemon would write its state again: stop it first (only on the running system).
    if (o.root === '/' && exists('/run/systemd/system')) {
      const r = await this.runner.run('systemctl', ['stop', 'bascule-agent.service'], { timeout: 30_000 });
      if (r.exitCode !== 0) throw new StateError(`systemctl stop bascule-agent failed: ${r.stderr.trim()}`);
      done.push('stopped bascule-agent.service');
    }

    const state = at(o.stateDir);
    if (exists(state)) {
      const entries = readdirSync(state);
      for (const name of entries) rmSync(join(state, name), { recursive: true, force: true });
      done.push(`emptied ${o.stateDir} (${entries.length} entries: identity, status, outbox)`);
    }

    const machineId = at('etc/machine-id');
    mkdirSync(dirname(machineId), { recursive: true });
    // Emptied, not deleted: an empty file is what systemd treats as "first boot, generate one".
    if (exists(machineId)) truncateSync(machineId, 0);
    else writeFileSync(machineId, '');
    chmodSync(machineId, 0o444);
    done.push('emptied /etc/machine-id (systemd writes a new one at first boot)');

    const dbusId = at('var/lib/dbus/machine-id');
    if (exists(dirname(dbusId))) {
      if (exists(dbusId)) unlinkSync(dbusId);
      symlinkSync('/etc/machine-id', dbusId);
      done.push('/var/lib/dbus/machine-id now links to /etc/machine-id');
    }

    if (token) {
      const target = at(TOKEN_PATH);
      mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
      copyFileSync(token, target);
      chmodSync(target, 0o600);
      done.push(
        `site token for ${readKey(readFileSync(token, 'utf8'), 'hub')} left in /${TOKEN_PATH} for the first boot`,
      );
    } else if (!exists(at(TOKEN_PATH))) {
      done.push(`no /${TOKEN_PATH}: copies will not enrol by themselves (give --token-file)`);
    }
    return done;
  }
}

function exists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

function readKey(text: string, key: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((l) => /^\s*([a-z-]+)\s*=\s*(.*?)\s*$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && m[1] === key)
      .at(-1)?.[2] ?? ''
  );
}

/** A site token file must hold hub=, token= and ca-hash=, as the first-boot enrolment reads them. */
function checkSiteToken(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new StateError(`cannot read the token file ${file}: ${(err as Error).message}`);
  }
  const missing = ['hub', 'token', 'ca-hash'].filter((k) => !readKey(text, k));
  if (missing.length > 0) {
    throw new StateError(
      `${file} needs ${missing.map((k) => `${k}=`).join(', ')} lines (bascule-hub token create --uses N --expires 30d --json gives them)`,
    );
  }
  return file;
}
