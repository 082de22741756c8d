import type { ModemSection } from '@bascule/protocol';
import { parseMmcliList, parseMmcliModem, parseMmcliSimIccid } from '../inventory/mmcli-parser.js';
import { CommandFailedError, type CommandRunner } from '../system/command-runner.js';
import {
  type ModemLockAndPorts,
  parse3gppScan,
  parseModemLockAndPorts,
  type ScannedNetwork,
} from './mmcli-wwan-parser.js';

const TIMEOUT_MS = 15_000;
/** A network scan can take a minute or two on some modems: allowed 130 s. */
const SCAN_TIMEOUT_MS = 130_000;
const REGISTER_TIMEOUT_MS = 130_000;

export type WwanModem = ModemSection['modems'][number] & ModemLockAndPorts & { simId?: string };

/** ModemManager through `mmcli -J`, the commands the 4G module and the helpdesk's RPCs need. */
export class ModemManagerClient {
  constructor(private readonly runner: CommandRunner) {}

  /** Every modem ModemManager knows; [] when ModemManager is not running. */
  async modems(): Promise<WwanModem[]> {
    const r = await this.runner.run('mmcli', ['-L', '-J'], { timeout: TIMEOUT_MS });
    if (r.exitCode !== 0) {
      if (/couldn't find the ModemManager process|ModemManager1 was not provided/i.test(r.stderr)) return [];
      throw new CommandFailedError(`mmcli -L: ${r.stderr.trim()}`);
    }
    const out: WwanModem[] = [];
    for (const id of parseMmcliList(r.stdout).slice(0, 8)) {
      const text = await this.mmcli(['-m', id, '-J']);
      const { simPath, ...modem } = parseMmcliModem(id, text);
      const simId = simPath ? /\/SIM\/(\d+)$/.exec(simPath)?.[1] : undefined;
      out.push({ ...modem, ...parseModemLockAndPorts(text), ...(simId ? { simId } : {}) });
    }
    return out;
  }

  async iccid(simId: string): Promise<string | undefined> {
    return parseMmcliSimIccid(await this.mmcli(['-i', simId, '-J']));
  }

  async scan(modemId: string): Promise<ScannedNetwork[]> {
    return parse3gppScan(await this.mmcli(['-m', modemId, '--3gpp-scan', '-J'], SCAN_TIMEOUT_MS));
  }

  async register(modemId: string, operator: string): Promise<void> {
    await this.mmcli(['-m', modemId, `--3gpp-register-in-operator=${operator}`], REGISTER_TIMEOUT_MS);
  }

  private async mmcli(args: string[], timeout = TIMEOUT_MS): Promise<string> {
    const r = await this.runner.run('mmcli', args, { timeout });
    if (r.exitCode !== 0) throw new CommandFailedError(`mmcli ${args.join(' ')}: ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  }
}
