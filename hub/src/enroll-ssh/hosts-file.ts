/** One machine to enrol over SSH. */
export interface SshTarget {
  host: string;
  port: number;
  /** `host:port` as shown in the results (IPv6 in brackets). */
  label: string;
}

export interface ParsedHosts {
  targets: SshTarget[];
  /** `line N: why`, for lines that are not a host. */
  errors: string[];
  /** `line N: …`, for lines naming a host already listed (enrolled once, said so rather than dropped quietly). */
  duplicates: string[];
}

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

/**
 * The `--hosts` file: one `host[:port]` per line (`[v6]:port` for IPv6 with a port), `#` comments and
 * blank lines ignored, a host listed twice enrolled once (and reported in `duplicates`). Errors name the line
 * so that IT can fix the file.
 */
export function parseHostsFile(text: string, defaultPort = 22): ParsedHosts {
  const targets: SshTarget[] = [];
  const errors: string[] = [];
  const duplicates: string[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const where = `line ${index + 1}`;
    if (/\s/.test(line)) {
      errors.push(`${where}: one host per line, got "${line}"`);
      return;
    }
    let host: string;
    let portText: string | undefined;
    const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(line);
    if (v6) {
      host = v6[1] as string;
      portText = v6[2];
      if (!IPV6.test(host)) {
        errors.push(`${where}: "${host}" is not an IPv6 address`);
        return;
      }
    } else if ((line.match(/:/g) ?? []).length > 1) {
      if (!IPV6.test(line)) {
        errors.push(`${where}: "${line}" is not a host name or address`);
        return;
      }
      host = line;
    } else {
      [host, portText] = line.split(':') as [string, string | undefined];
      if (!NAME.test(host)) {
        errors.push(`${where}: "${host}" is not a host name or address`);
        return;
      }
    }
    const port = portText === undefined ? defaultPort : Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      errors.push(`${where}: "${portText}" is not a port (1-65535)`);
      return;
    }
    const label = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const first = seen.get(label.toLowerCase());
    if (first !== undefined) {
      duplicates.push(`${where}: ${label} is already on line ${first}, enrolled once`);
      return;
    }
    seen.set(label.toLowerCase(), index + 1);
    targets.push({ host, port, label });
  });
  return { targets, errors, duplicates };
}
