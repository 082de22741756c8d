import { type RemoteApp, type RemoteAppsSettings, remoteAppsSettingsSchema } from '@bascule/protocol';
import type { ConfigModule, ModuleRecords, PlannedStep } from '../../config/config-module.js';
import type { UserAccount } from '../../system/user-accounts.js';
import type { FileOwner, UserFiles } from '../../system/user-files.js';
import {
  APPLICATIONS_DIR,
  desktopLauncher,
  launcherName,
  profileName,
  REMMINA_DIR,
  remminaProfile,
} from './remmina-profile.js';

/** The record of every file this module wrote, so that release removes those and nothing else. */
const WRITTEN = 'written-files';

export interface AccountState {
  user: string;
  account?: UserAccount;
  /** The account has a home directory (a domain user who never signed in has none yet). */
  hasHome: boolean;
  error?: string;
  /** Current text of each file the settings want for this account (null: absent). */
  files: Record<string, string | null>;
}

/** A file this module wrote, and for whom. */
export interface WrittenFile {
  user: string;
  path: string;
}

export interface RemoteAppsObserved {
  written: WrittenFile[];
  accounts: AccountState[];
}

interface WantedFile {
  user: string;
  home: string;
  path: string;
  content: string;
  mode: number;
  owner: FileOwner;
  app: RemoteApp;
  kind: 'profile' | 'launcher';
}

/** Looks an account up (getent passwd); throws when it does not exist. */
export type AccountLookup = (name: string) => Promise<UserAccount>;

/**
 * `remote-apps`: for each account the policy names, one Remmina RDP profile per Windows application
 * (`~/.local/share/remmina/bascule-{id}.remmina`, 0600, owned by the user, without any password) and a
 * launcher in the applications menu (`~/.local/share/applications/bascule-remote-app-{id}.desktop`,
 * 0644). The files written are recorded; an application or account dropped from the policy, or the
 * policy itself, removes exactly those files. An account without a home yet is left for a later apply.
 */
export class RemoteAppsModule implements ConfigModule<RemoteAppsSettings, RemoteAppsObserved> {
  readonly name = 'remote-apps' as const;
  readonly tools = { getent: 'libc-bin' };

  constructor(
    private readonly lookup: AccountLookup,
    private readonly files: UserFiles,
    private readonly records: ModuleRecords,
  ) {}

  parse(settings: unknown): RemoteAppsSettings {
    return remoteAppsSettingsSchema.parse(settings);
  }

  async observe(settings: RemoteAppsSettings | undefined): Promise<RemoteAppsObserved> {
    const written = this.records.read<WrittenFile[]>(this.name, WRITTEN) ?? [];
    const accounts: AccountState[] = [];
    for (const user of settings?.users ?? []) {
      const state: AccountState = { user, hasHome: false, files: {} };
      try {
        state.account = await this.lookup(user);
        state.hasHome = this.files.isDirectory(state.account.home);
        if (state.hasHome) {
          for (const f of wantedFor(settings?.apps ?? [], user, state.account))
            state.files[f.path] = this.files.read(f.path);
        }
      } catch (err) {
        state.error = (err as Error).message;
      }
      accounts.push(state);
    }
    return { written, accounts };
  }

  plan(settings: RemoteAppsSettings, observed: RemoteAppsObserved): PlannedStep[] {
    const steps: PlannedStep[] = [];
    const wanted = this.wanted(settings, observed);
    for (const f of wanted) {
      const current = observed.accounts.find((a) => a.user === f.user)?.files[f.path];
      if (current === f.content) continue;
      steps.push({
        description:
          f.kind === 'profile'
            ? `${current === null ? 'write' : 'update'} the Remmina profile « ${f.app.name} » of ${f.user} (${f.app.server}, no password stored): ${f.path}`
            : `${current === null ? 'add' : 'update'} « ${f.app.name} » in the applications menu of ${f.user}: ${f.path}`,
        run: async () => {
          this.record({ user: f.user, path: f.path }, true);
          this.files.write(f.home, f.path, f.content, f.mode, f.owner);
        },
      });
    }
    const keep = new Set(wanted.map((f) => f.path));
    // Accounts not looked up this time (error) keep their files: a lookup failure is not a removal.
    const unknown = new Set(observed.accounts.filter((a) => a.error !== undefined).map((a) => a.user));
    for (const w of observed.written) {
      if (keep.has(w.path) || unknown.has(w.user)) continue;
      steps.push(this.removal(w, 'no longer in the policy'));
    }
    // Last: the engine stops at a failing step, and one unknown account must not hold back the others.
    for (const a of observed.accounts) {
      if (a.error !== undefined) {
        const error = a.error;
        steps.push({
          description: `set up the remote applications of ${a.user}`,
          run: async () => {
            throw new Error(`${a.user}: ${error}`);
          },
        });
      }
    }
    return steps;
  }

  verify(settings: RemoteAppsSettings, observed: RemoteAppsObserved): string[] {
    const problems = observed.accounts.filter((a) => a.error !== undefined).map((a) => `${a.user}: ${a.error}`);
    for (const f of this.wanted(settings, observed)) {
      const current = observed.accounts.find((a) => a.user === f.user)?.files[f.path];
      if (current !== f.content) problems.push(`${f.path} does not hold the policy's ${f.kind}`);
    }
    return problems;
  }

  release(observed: RemoteAppsObserved): PlannedStep[] {
    return observed.written.map((w) => this.removal(w, 'no remote-apps policy any more'));
  }

  reportable(observed: RemoteAppsObserved): unknown {
    return {
      files: observed.written.length,
      accounts: observed.accounts.map((a) => ({
        user: a.user,
        state: a.error !== undefined ? 'error' : a.hasHome ? 'ready' : 'no-home-yet',
        ...(a.error !== undefined ? { error: a.error } : {}),
      })),
    };
  }

  secrets(): string[] {
    return [];
  }

  fingerprint(settings: RemoteAppsSettings): unknown {
    return settings;
  }

  private wanted(settings: RemoteAppsSettings, observed: RemoteAppsObserved): WantedFile[] {
    return observed.accounts.flatMap((a) =>
      a.account && a.hasHome && a.error === undefined ? wantedFor(settings.apps, a.user, a.account) : [],
    );
  }

  private removal(w: WrittenFile, why: string): PlannedStep {
    return {
      description: `remove ${w.path} (${why})`,
      run: async () => {
        this.files.remove(w.path);
        this.record(w, false);
      },
    };
  }

  /** Recorded before a write (a crash after it still leaves the file known), dropped after a removal. */
  private record(file: WrittenFile, present: boolean): void {
    const written = (this.records.read<WrittenFile[]>(this.name, WRITTEN) ?? []).filter((w) => w.path !== file.path);
    if (present) written.push(file);
    this.records.write(
      this.name,
      WRITTEN,
      written.sort((a, b) => a.path.localeCompare(b.path)),
    );
  }
}

function wantedFor(apps: readonly RemoteApp[], user: string, account: UserAccount): WantedFile[] {
  const owner = { uid: account.uid, gid: account.gid };
  const home = account.home;
  return apps.flatMap((app) => {
    const profile = `${home}/${REMMINA_DIR}/${profileName(app)}`;
    return [
      {
        user,
        home,
        owner,
        app,
        kind: 'profile' as const,
        path: profile,
        mode: 0o600,
        content: remminaProfile(app, user),
      },
      {
        user,
        home,
        owner,
        app,
        kind: 'launcher' as const,
        path: `${home}/${APPLICATIONS_DIR}/${launcherName(app)}`,
        mode: 0o644,
        content: desktopLauncher(app, profile),
      },
    ];
  });
}
