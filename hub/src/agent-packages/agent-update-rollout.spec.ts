import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFixture } from '../config-publisher/config-test-support.js';
import { buildTestDeb } from './deb-fixture.js';

type Fixture = Awaited<ReturnType<typeof configFixture>>;
const MINUTE = 60_000;

/**
 * An agent-update policy goes through the rollouts like any other module: the ring reached gets the new
 * version with that version's package, the others keep the previous one with theirs.
 */
describe('agent-update through a staged rollout', () => {
  let f: Fixture;
  let fleet: string[];
  let policyId: string;
  const sha: Record<string, string> = {};

  const settingsOf = (d: string) =>
    f.lastConfig(d)?.modules['agent-update']?.settings as { version: string; package?: { sha256: string } };
  const versions = () => fleet.map((d) => settingsOf(d)?.version);

  beforeEach(async () => {
    f = await configFixture();
    const work = fs.mkdtempSync(path.join(f.s.dir, 'debs-'));
    for (const v of ['0.1.0', '0.2.0']) {
      const { pkg } = await f.s.agentPackages.addFile(buildTestDeb(work, { version: v }), 'spec');
      sha[v] = pkg.sha256;
    }
    fleet = [];
    for (let i = 0; i < 4; i++) fleet.push(await f.device('Accueil'));
    const canary = await f.cfg.groups.create({ name: 'IT canary' }, 'admin');
    await f.cfg.groups.addMembers(canary.id, [fleet[0] as string], 'admin');
    const p = await f.cfg.policies.create(
      { name: 'Agent', module: 'agent-update', document: { version: '0.1.0' } },
      'admin',
    );
    policyId = p.id;
    await f.cfg.policies.setAssignments(policyId, [{ kind: 'everyone' }], 'admin');
    await f.cfg.policies.update(policyId, { document: { version: '0.2.0' }, deploy: false }, 'admin');
  });
  afterEach(() => f.close());

  it('moves the canary first, then the fleet, each with the package of its version; a rollback goes back', async () => {
    expect(versions()).toEqual(['0.1.0', '0.1.0', '0.1.0', '0.1.0']);
    const r = await f.cfg.rollouts.create(
      {
        policyId,
        revision: 2,
        plan: {
          rings: [
            { kind: 'group', group: 'IT canary' },
            { kind: 'percent', percent: 100 },
          ],
          soakMinutes: 10,
          maxFailureRate: 0.5,
        },
      },
      'admin',
    );
    expect(versions()).toEqual(['0.2.0', '0.1.0', '0.1.0', '0.1.0']);
    expect(settingsOf(fleet[0] as string).package?.sha256).toBe(sha['0.2.0']);
    expect(settingsOf(fleet[1] as string).package?.sha256).toBe(sha['0.1.0']);

    await f.report(fleet[0] as string, 'applied');
    f.clock.advance(11 * MINUTE);
    await f.cfg.rollouts.tick();
    expect(versions()).toEqual(['0.2.0', '0.2.0', '0.2.0', '0.2.0']);

    await f.cfg.rollouts.rollback(r.id, 'admin');
    expect(versions()).toEqual(['0.1.0', '0.1.0', '0.1.0', '0.1.0']);
    // The agents then refuse the older version unless the revision allows a downgrade (docs/modules.md).
    expect(settingsOf(fleet[0] as string)).toMatchObject({ allowDowngrade: false, package: { sha256: sha['0.1.0'] } });
  });
});
