import type { ModemSection } from '@bascule/protocol';
import { UnreadableOutputError } from './key-value.js';

type Modem = ModemSection['modems'][number];

function json(source: string, stdout: string): Record<string, unknown> {
  try {
    const v = JSON.parse(stdout) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UnreadableOutputError(source, 'not a JSON object', stdout);
}

const str = (v: unknown) => (typeof v === 'string' && v !== '--' && v.trim() !== '' ? v.trim() : undefined);

/** `mmcli -L -J`: `{"modem-list": ["/org/freedesktop/ModemManager1/Modem/0"]}` → the indexes (`0`). */
export function parseMmcliList(stdout: string): string[] {
  const list = json('mmcli -L -J', stdout)['modem-list'];
  if (!Array.isArray(list)) throw new UnreadableOutputError('mmcli -L -J', 'no "modem-list" array', stdout);
  return list.map((p) => /\/Modem\/(\d+)$/.exec(String(p))?.[1]).filter((id): id is string => id !== undefined);
}

/**
 * `mmcli -m N -J`: `modem.generic` (manufacturer, model, state, signal-quality.value,
 * access-technologies, sim, equipment-identifier) and `modem.3gpp` (operator-name, operator-code,
 * registration-state, imei). ModemManager prints `--` for an unknown value.
 */
export function parseMmcliModem(id: string, stdout: string): Modem & { simPath?: string } {
  const modem = json('mmcli -m -J', stdout).modem as Record<string, Record<string, unknown>> | undefined;
  if (!modem || typeof modem !== 'object' || !modem.generic) {
    throw new UnreadableOutputError('mmcli -m -J', 'no "modem.generic" object', stdout);
  }
  const g = modem.generic;
  const p = (modem['3gpp'] ?? {}) as Record<string, unknown>;
  const signal = Number((g['signal-quality'] as { value?: unknown } | undefined)?.value);
  const tech = Array.isArray(g['access-technologies']) ? (g['access-technologies'] as unknown[]).map(String) : [];
  const out: Modem & { simPath?: string } = { id, accessTech: tech.filter((t) => t !== '--') };
  const set = (key: keyof Modem, value: string | undefined) => {
    if (value !== undefined) Object.assign(out, { [key]: value });
  };
  set('manufacturer', str(g.manufacturer));
  set('model', str(g.model));
  set('imei', str(p.imei) ?? str(g['equipment-identifier']));
  set('state', str(g.state));
  set('operator', str(p['operator-name']));
  set('operatorCode', str(p['operator-code']));
  set('registration', str(p['registration-state']));
  if (Number.isFinite(signal) && signal >= 0 && signal <= 100) out.signalPercent = signal;
  const sim = str(g.sim);
  if (sim) out.simPath = sim;
  return out;
}

/** `mmcli -i N -J`: `sim.properties.iccid`. */
export function parseMmcliSimIccid(stdout: string): string | undefined {
  const sim = json('mmcli -i -J', stdout).sim as { properties?: { iccid?: unknown } } | undefined;
  return str(sim?.properties?.iccid);
}
