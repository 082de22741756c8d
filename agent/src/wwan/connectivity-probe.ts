import { CommandNotFoundError, type CommandRunner } from '../system/command-runner.js';

/** `NetworkManager --print-config`: the `uri=` of its `[connectivity]` section, when the check is on. */
export function parseConnectivityUri(config: string): string | undefined {
  let section = '';
  let uri: string | undefined;
  let enabled = true;
  for (const raw of config.split('\n')) {
    const line = raw.trim();
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      section = s[1] as string;
      continue;
    }
    if (section !== 'connectivity') continue;
    const kv = /^(\w+)=(.*)$/.exec(line);
    if (kv?.[1] === 'uri') uri = kv[2]?.trim();
    if (kv?.[1] === 'enabled') enabled = kv[2]?.trim() !== 'false';
  }
  return enabled && uri ? uri : undefined;
}

/**
 * A quick check of the primary link for the on-demand mode: NetworkManager's own check gives up on an
 * unanswered request only when it times out (about 20 s after the cut, measured with interval=5 in
 * docs/performance.md), so a line that died upstream (no answer at all) is seen late. This asks NetworkManager's check URI through the primary interface with a 3 s timeout
 * (`curl --interface IFACE --max-time 3`), one small request per call. Without a check URI (connectivity
 * check off) or without curl, it says nothing (undefined) and NetworkManager's verdict stands.
 */
export class ConnectivityProbe {
  private uri: string | null | undefined;

  constructor(
    private readonly runner: CommandRunner,
    private readonly timeoutSeconds = 3,
  ) {}

  async check(iface: string): Promise<boolean | undefined> {
    const uri = await this.checkUri();
    if (!uri) return undefined;
    try {
      const r = await this.runner.run(
        'curl',
        [
          '-s',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          '--interface',
          iface,
          '--max-time',
          String(this.timeoutSeconds),
          uri,
        ],
        { timeout: (this.timeoutSeconds + 2) * 1000 },
      );
      return r.exitCode === 0 && /^2\d\d$/.test(r.stdout.trim());
    } catch (err) {
      if (err instanceof CommandNotFoundError) {
        this.uri = null;
        return undefined;
      }
      throw err;
    }
  }

  private async checkUri(): Promise<string | null> {
    if (this.uri !== undefined) return this.uri;
    try {
      const r = await this.runner.run('NetworkManager', ['--print-config'], { timeout: 10_000 });
      this.uri = r.exitCode === 0 ? (parseConnectivityUri(r.stdout) ?? null) : null;
    } catch (err) {
      if (!(err instanceof CommandNotFoundError)) throw err;
      this.uri = null;
    }
    return this.uri;
  }
}
