import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Logger } from '../core/logger.js';
import { hashToken } from '../enrolment/enrolment.service.js';
import type { TokenRow } from '../enrolment/token.repository.js';
import { FakeClock } from '../test-support.js';
import { AgentPackageRepository } from './agent-package.repository.js';
import { InstallService } from './install.service.js';

const TOKEN = 'bt_abcdefghijklmnopqrstuvwxyz012345';
const clock = new FakeClock();
const row = (over: Partial<TokenRow> = {}): TokenRow => ({
  id: 'tok1',
  token_hash: hashToken(TOKEN),
  department: 'RH',
  uses_allowed: 2,
  uses_count: 0,
  expires_at: new Date(clock.now().getTime() + 3600_000).toISOString(),
  created_at: clock.now().toISOString(),
  created_by: 'spec',
  ...over,
});
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-install-svc-'));
fs.writeFileSync(path.join(dir, 'bascule-agent_0.1.0_amd64.deb'), 'deb');
const caCertPem = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';

function service(found: TokenRow | undefined, packages = [dir]) {
  const lookups: string[] = [];
  const svc = new InstallService(
    {
      findByHash: async (h) => {
        lookups.push(h);
        return found;
      },
    },
    new AgentPackageRepository(packages),
    { caCertPem, caHash: `sha256:${'1'.repeat(64)}` },
    clock,
    new Logger(() => {}, 'error', {}),
  );
  return { svc, lookups };
}

describe('InstallService', () => {
  it('serves an installer for a valid token, with the URL the hub was reached by', async () => {
    const { svc } = service(row());
    const s = await svc.script(TOKEN, 'https://10.0.0.1:8443');
    expect(s.usable).toBe(true);
    expect(s.text).toContain("HUB='https://10.0.0.1:8443'");
    expect(s.text).toContain("DEPARTMENT='RH'");
  });

  it('explains unknown, expired and used-up tokens in a script that exits 1', async () => {
    const cases: Array<[TokenRow | undefined, RegExp]> = [
      [undefined, /not recognised/],
      [row({ expires_at: new Date(clock.now().getTime() - 1).toISOString() }), /expired at/],
      [row({ uses_count: 2 }), /already used 2 time/],
    ];
    for (const [found, reason] of cases) {
      const s = await service(found).svc.script(TOKEN, 'https://hub:8443');
      expect(s.usable).toBe(false);
      expect(s.text).toMatch(reason);
      expect(s.text).toMatch(/exit 1/);
    }
  });

  it('refuses a Host header that is not a host name, and a path that is not a token, without a lookup', async () => {
    const { svc, lookups } = service(row());
    expect((await svc.script(TOKEN, 'https://evil$(id)')).usable).toBe(false);
    expect((await svc.script('favicon.ico', 'https://hub:8443')).usable).toBe(false);
    expect(lookups).toHaveLength(0);
  });

  it('says when the hub has no agent package', async () => {
    const { svc } = service(row(), ['/nonexistent/bascule-pkg']);
    const s = await svc.script(TOKEN, 'https://hub:8443');
    expect(s.text).toMatch(/no agent package/);
    await expect(svc.agentPackage()).rejects.toThrow(/BASCULE_AGENT_PACKAGE/);
  });
});
