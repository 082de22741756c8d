import { describe, expect, it } from 'vitest';
import { fixture as inventoryFixture } from '../inventory/fixtures/fixture.js';
import type { Logger } from '../logging/logger.js';
import { fixture } from '../modules/wwan-failover/fixtures/fixture.js';
import type { CommandResult } from '../system/command-runner.js';
import { FakeCommandRunner } from '../system/fake-command-runner.js';
import { MemoryStateFile } from '../system/state-file.js';
import { FieldError } from '../validation/field-reader.js';
import { ModemManagerClient } from './modem-manager-client.js';
import { NetworkManagerClient } from './network-manager-client.js';
import { parseOperatorOverride } from './operator-override.js';
import { WwanOperatorsRpc } from './wwan-operators-rpc.js';
import { formatWwanPolicy } from './wwan-policy-file.js';

const logger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const ok = (stdout: string): CommandResult => ({ stdout, stderr: '', exitCode: 0 });
const clock = { now: () => Date.parse('2026-12-03T10:00:00Z'), setTimeout: () => 0, clearTimeout: () => {} };

function rpc(modem = true) {
  const calls: string[] = [];
  const runner = new FakeCommandRunner({
    mmcli: (args) => {
      calls.push(`mmcli ${args.join(' ')}`);
      if (args[0] === '-L') return ok(modem ? inventoryFixture('mmcli-list.documented.json.txt') : '{"modem-list":[]}');
      if (args.includes('--3gpp-scan')) return ok(fixture('mmcli-3gpp-scan.documented.json.txt'));
      if (args.some((a) => a.startsWith('--3gpp-register-in-operator=')))
        return ok('successfully registered the modem\n');
      return ok(fixture('mmcli-modem-unlocked.documented.json.txt'));
    },
    nmcli: (args) => {
      calls.push(`nmcli ${args.join(' ')}`);
      return args.includes('show') ? ok('connection.id:bascule-4g\n') : ok('');
    },
  });
  const policy = new MemoryStateFile(
    formatWwanPolicy({
      profile: 'bascule-4g',
      imei: '',
      operator: '20801',
      mode: 'passive',
      downAfterSeconds: 10,
      upAfterSeconds: 60,
      monthlyCapMiB: 0,
      monthStartDay: 1,
      pinRefused: false,
    }),
  );
  const override = new MemoryStateFile();
  const r = new WwanOperatorsRpc(
    new ModemManagerClient(runner),
    new NetworkManagerClient(runner),
    policy,
    override,
    clock,
    logger,
  );
  return { r, calls, override };
}

describe('WwanOperatorsRpc', () => {
  it('lists the operators the modem sees', async () => {
    const { r } = rpc();
    const res = await r.scan({ by: 'helen' });
    expect(res.modem).toBe('0');
    expect(res.operators.map((o) => `${o.code} ${o.name} ${o.availability}`)).toEqual([
      '20801 Orange F current',
      '20810 SFR available',
      '20820 Bouygues Telecom available',
      '20815 Free forbidden',
    ]);
  });

  it('registers on the chosen operator, pins the profile and keeps the choice for later applies', async () => {
    const { r, calls, override } = rpc();
    expect(await r.register({ operator: '20810', by: 'helen' })).toEqual({
      modem: '0',
      operator: '20810',
      profilePinned: true,
    });
    expect(calls).toContain('mmcli -m 0 --3gpp-register-in-operator=20810');
    expect(calls).toContain('nmcli connection modify bascule-4g gsm.network-id 20810');
    expect(parseOperatorOverride(override.text ?? '')).toEqual({
      operator: '20810',
      policyOperator: '20801',
      by: 'helen',
      at: '2026-12-03T10:00:00.000Z',
    });
  });

  it('refuses an operator that is not MCC+MNC, and says when there is no modem', async () => {
    const { r, calls } = rpc();
    await expect(r.register({ operator: 'SFR', by: 'helen' })).rejects.toBeInstanceOf(FieldError);
    expect(calls).toEqual([]);
    await expect(rpc(false).r.scan({ by: 'helen' })).rejects.toMatchObject({
      code: 'internal',
      message: 'no modem: ModemManager sees none',
    });
  });
});
