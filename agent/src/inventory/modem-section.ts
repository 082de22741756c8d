import type { ModemSection } from '@bascule/protocol';
import { CommandNotFoundError } from '../system/command-runner.js';
import { output } from './command-output.js';
import type { InventoryDeps } from './inventory-deps.js';
import { parseMmcliList, parseMmcliModem, parseMmcliSimIccid } from './mmcli-parser.js';

const TIMEOUT_MS = 15_000;

/**
 * Mobile modems from ModemManager (`mmcli -L -J`, then `mmcli -m N -J` and the SIM's ICCID).
 * No mmcli, or ModemManager not running: no modem.
 */
export async function collectModem(deps: InventoryDeps): Promise<ModemSection> {
  let list: string;
  try {
    list = await output(deps.runner, 'mmcli', ['-L', '-J'], TIMEOUT_MS);
  } catch (err) {
    if (err instanceof CommandNotFoundError || /couldn't find the ModemManager process/i.test((err as Error).message)) {
      return { modems: [] };
    }
    throw err;
  }
  const modems: ModemSection['modems'] = [];
  for (const id of parseMmcliList(list).slice(0, 8)) {
    const { simPath, ...modem } = parseMmcliModem(id, await output(deps.runner, 'mmcli', ['-m', id, '-J'], TIMEOUT_MS));
    const simId = simPath ? /\/SIM\/(\d+)$/.exec(simPath)?.[1] : undefined;
    if (simId) {
      const iccid = parseMmcliSimIccid(await output(deps.runner, 'mmcli', ['-i', simId, '-J'], TIMEOUT_MS));
      if (iccid) modem.iccid = iccid;
    }
    modems.push(modem);
  }
  return { modems };
}
