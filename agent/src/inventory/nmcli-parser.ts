import { UnreadableOutputError } from './key-value.js';

export interface WifiLink {
  interface?: string;
  ssid: string;
  signalPercent?: number;
  frequencyMHz?: number;
}

/** Splits one line of `nmcli -t` output: fields are separated by `:`, and `\:` / `\\` escape. */
export function splitTerse(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
    } else if (c === ':') {
      fields.push(cur);
      cur = '';
    } else cur += c;
  }
  fields.push(cur);
  return fields;
}

/**
 * The network in use from `nmcli -t -f ACTIVE,SSID,SIGNAL,FREQ,DEVICE device wifi list --rescan no`
 * (lines `yes:Mairie-Wifi:72:5180 MHz:wlp2s0`), or undefined when no Wi-Fi network is active.
 */
export function parseNmcliWifi(stdout: string): WifiLink | undefined {
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const f = splitTerse(line);
    if (f.length < 5 || !['yes', 'no'].includes(f[0] as string)) {
      throw new UnreadableOutputError('nmcli -t device wifi list', 'unexpected line', line);
    }
    const [active, ssid, signal, freq, device] = f as [string, string, string, string, string];
    if (active !== 'yes' || !ssid) continue;
    const s = Number(signal);
    const mhz = Number.parseInt(freq, 10);
    return {
      ...(device ? { interface: device } : {}),
      ssid,
      ...(signal !== '' && Number.isFinite(s) ? { signalPercent: Math.max(0, Math.min(100, s)) } : {}),
      ...(Number.isFinite(mhz) ? { frequencyMHz: mhz } : {}),
    };
  }
  return undefined;
}

/**
 * `iw dev IFACE link`: `Connected to …` then `SSID: …`, `freq: 5180`, `signal: -52 dBm`; or
 * `Not connected.`. The dBm signal is turned into a percentage the way NetworkManager does
 * (−100 dBm → 0 %, −50 dBm → 100 %).
 */
export function parseIwLink(iface: string, stdout: string): WifiLink | undefined {
  if (/^Not connected/m.test(stdout)) return undefined;
  if (!/^Connected to /m.test(stdout)) throw new UnreadableOutputError('iw link', 'neither connected nor not', stdout);
  const ssid = /^\s*SSID: (.*)$/m.exec(stdout)?.[1];
  if (!ssid) return undefined;
  const dbm = /^\s*signal: (-?\d+) dBm/m.exec(stdout)?.[1];
  const freq = /^\s*freq: (\d+)/m.exec(stdout)?.[1];
  return {
    interface: iface,
    ssid,
    ...(dbm !== undefined ? { signalPercent: Math.max(0, Math.min(100, 2 * (Number(dbm) + 100))) } : {}),
    ...(freq !== undefined ? { frequencyMHz: Number(freq) } : {}),
  };
}
