import { UnreadableOutputError } from '../inventory/key-value.js';

/**
 * What the 4G module reads from `mmcli -J` beyond the inventory's fields (inventory/mmcli-parser.ts):
 * the lock state of the SIM and the ports. Formats from ModemManager's cli/mmcli-output.c (1.20): keys
 * `modem.generic.unlock-required` (`sim-pin`, `sim-puk`, `none`…), `modem.generic.unlock-retries`
 * (`["sim-pin (3)", "sim-puk (10)"]`), `modem.generic.ports` (`["cdc-wdm0 (mbim)", "wwan0 (net)"]`),
 * `modem.generic.device-identifier`; `--` stands for an unknown value.
 */
export interface ModemLockAndPorts {
  deviceIdentifier?: string;
  /** Absent when nothing is required (`none`, `--`) or only `sim-pin2`, which data does not need. */
  unlockRequired?: string;
  pinRetries?: number;
  /** The interface of the `(net)` port, which carries the data. */
  netInterface?: string;
  primaryPort?: string;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '--' && v.trim() !== '' ? v.trim() : undefined);

function object(source: string, stdout: string): Record<string, unknown> {
  try {
    const v = JSON.parse(stdout) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UnreadableOutputError(source, 'not a JSON object', stdout);
}

export function parseModemLockAndPorts(stdout: string): ModemLockAndPorts {
  const modem = object('mmcli -m -J', stdout).modem as { generic?: Record<string, unknown> } | undefined;
  const g = modem?.generic;
  if (!g) throw new UnreadableOutputError('mmcli -m -J', 'no "modem.generic" object', stdout);
  const out: ModemLockAndPorts = {};
  const id = str(g['device-identifier']);
  if (id) out.deviceIdentifier = id;
  const lock = str(g['unlock-required']);
  if (lock && lock !== 'none' && lock !== 'sim-pin2') out.unlockRequired = lock;
  const retries = Array.isArray(g['unlock-retries']) ? (g['unlock-retries'] as unknown[]).map(String) : [];
  const pin = retries.map((r) => /^sim-pin \((\d+)\)$/.exec(r.trim())).find((m) => m);
  if (pin) out.pinRetries = Number(pin[1]);
  const ports = Array.isArray(g.ports) ? (g.ports as unknown[]).map(String) : [];
  const net = ports.map((p) => /^(\S+) \(net\)$/.exec(p.trim())).find((m) => m);
  if (net) out.netInterface = net[1];
  const primary = str(g['primary-port']);
  if (primary) out.primaryPort = primary;
  return out;
}

/** One network of `mmcli -m N --3gpp-scan -J`. */
export interface ScannedNetwork {
  name: string;
  code: string;
  availability: string;
  accessTech: string[];
}

const NETWORK = /^operator-code: (.*?), operator-name: (.*?), access-technologies: (.*?), availability: (.*)$/;

/**
 * `mmcli -m N --3gpp-scan -J`: `{"modem":{"3gpp":{"scan-networks":["operator-code: 20801, operator-name:
 * Orange F, access-technologies: lte, availability: current", …]}}}` (mmcli-output.c builds each entry with
 * that printf; access technologies are themselves joined with ", ").
 */
export function parse3gppScan(stdout: string): ScannedNetwork[] {
  const modem = object('mmcli --3gpp-scan -J', stdout).modem as { '3gpp'?: Record<string, unknown> } | undefined;
  const list = modem?.['3gpp']?.['scan-networks'];
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    throw new UnreadableOutputError('mmcli --3gpp-scan -J', 'no "modem.3gpp.scan-networks" array', stdout);
  }
  return list.flatMap((entry) => {
    const m = NETWORK.exec(String(entry).trim());
    if (!m) return [];
    const [, code = '', name = '', tech = '', availability = ''] = m;
    return [
      {
        code: code === '--' ? '' : code,
        name: name === '--' ? '' : name,
        availability,
        accessTech: tech
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t && t !== 'unknown'),
      },
    ];
  });
}
