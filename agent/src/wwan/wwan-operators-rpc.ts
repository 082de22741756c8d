import type {
  WwanOperatorsRegisterParams,
  WwanOperatorsRegisterResult,
  WwanOperatorsScanResult,
} from '@bascule/protocol';
import type { Logger } from '../logging/logger.js';
import { RpcError } from '../rpc/rpc-error.js';
import type { Clock } from '../system/clock.js';
import type { StateFile } from '../system/state-file.js';
import { FieldReader } from '../validation/field-reader.js';
import type { ModemManagerClient, WwanModem } from './modem-manager-client.js';
import { type NetworkManagerClient, WWAN_PROFILE } from './network-manager-client.js';
import type { OperatorOverride } from './operator-override.js';
import { parseWwanPolicy } from './wwan-policy-file.js';

/** `wwan.operators.scan` params (`wwanOperatorsScanParamsSchema`), checked by hand: the daemon has no zod. */
export function parseScanParams(input: unknown): { by: string } {
  const r = new FieldReader(input);
  const by = r.string('by', { minLength: 1 });
  r.done();
  return { by };
}

export function parseRegisterParams(input: unknown): WwanOperatorsRegisterParams {
  const r = new FieldReader(input);
  const operator = r.string('operator', { pattern: /^\d{5,6}$/, patternMessage: 'expected MCC+MNC such as 20801' });
  const by = r.string('by', { minLength: 1 });
  r.done();
  return { operator, by };
}

/**
 * The helpdesk's RPCs for the mobile operator (manual choice only: in France a desktop may not switch
 * operators by itself, so nothing here runs without a person asking). One at a time: a scan keeps the
 * modem busy for up to two minutes.
 */
export class WwanOperatorsRpc {
  private busy = false;

  constructor(
    private readonly mm: ModemManagerClient,
    private readonly nm: NetworkManagerClient,
    private readonly policyFile: StateFile,
    private readonly overrideFile: StateFile,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async scan(params: unknown): Promise<WwanOperatorsScanResult> {
    const { by } = parseScanParams(params);
    return this.exclusive(async () => {
      const modem = await this.modem();
      this.logger.info('wwan: operator scan', { modem: modem.id, by });
      const operators = (await this.mm.scan(modem.id)).slice(0, 64);
      return { modem: modem.id, operators };
    });
  }

  async register(params: unknown): Promise<WwanOperatorsRegisterResult> {
    const { operator, by } = parseRegisterParams(params);
    return this.exclusive(async () => {
      const modem = await this.modem();
      this.logger.info('wwan: registering on an operator', { modem: modem.id, operator, by });
      await this.mm.register(modem.id, operator);
      // The profile follows, and the next apply keeps it (until the policy pins another operator).
      const policyOperator = this.policyOperator();
      const override: OperatorOverride = { operator, policyOperator, by, at: new Date(this.clock.now()).toISOString() };
      this.overrideFile.write(`${JSON.stringify(override)}\n`);
      const profile = await this.nm.profile(WWAN_PROFILE, ['connection.id']);
      if (profile) await this.nm.nmcli(['connection', 'modify', WWAN_PROFILE, 'gsm.network-id', operator]);
      return { modem: modem.id, operator, profilePinned: profile !== null };
    });
  }

  private policyOperator(): string {
    const text = this.policyFile.read();
    if (text === null) return '';
    return parseWwanPolicy(text).operator;
  }

  private async modem(): Promise<WwanModem> {
    const modems = await this.mm.modems();
    const imei = this.policyFile.read() ? parseWwanPolicy(this.policyFile.read() as string).imei : '';
    const modem = imei ? modems.find((m) => m.imei === imei) : modems[0];
    if (!modem)
      throw new RpcError('internal', imei ? `no modem with IMEI ${imei}` : 'no modem: ModemManager sees none');
    return modem;
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy)
      throw new RpcError('busy', 'an operator scan or registration is under way; try again in two minutes');
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }
}
