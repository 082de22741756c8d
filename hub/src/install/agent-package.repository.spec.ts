import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentPackageRepository, agentPackageLocations, compareDebianVersions } from './agent-package.repository.js';

describe('AgentPackageRepository', () => {
  it('serves the highest version of the directory, with its sha256', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-pkg-spec-'));
    for (const v of ['0.1.0', '0.10.0', '0.9.1', '0.10.0~rc1', '0.10.0+upgrade1']) {
      fs.writeFileSync(path.join(dir, `bascule-agent_${v}_amd64.deb`), v);
    }
    fs.writeFileSync(path.join(dir, 'bascule-hub_9.0.0_amd64.deb'), 'hub');
    const repo = new AgentPackageRepository(['/nonexistent/bascule', dir]);
    const { pkg } = await repo.find();
    expect(pkg?.fileName).toBe('bascule-agent_0.10.0+upgrade1_amd64.deb');
    expect(pkg?.version).toBe('0.10.0+upgrade1');
    expect(pkg?.sha256).toBe(createHash('sha256').update('0.10.0+upgrade1').digest('hex'));
    expect(pkg?.bytes).toBe('0.10.0+upgrade1'.length);
  });

  it('recomputes the hash when the file changes, and says where it looked when there is none', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-pkg-spec-'));
    const file = path.join(dir, 'bascule-agent_1.0.0_amd64.deb');
    const repo = new AgentPackageRepository([file]);
    expect((await repo.find()).pkg).toBeNull();
    fs.writeFileSync(file, 'one');
    const first = (await repo.find()).pkg?.sha256;
    fs.writeFileSync(file, 'two!');
    expect((await repo.find()).pkg?.sha256).not.toBe(first);
  });

  it('takes BASCULE_AGENT_PACKAGE, else the packaged then the checkout directory', () => {
    expect(agentPackageLocations({ BASCULE_AGENT_PACKAGE: '/srv/agent.deb' })).toEqual(['/srv/agent.deb']);
    const defaults = agentPackageLocations({});
    expect(defaults[0]).toBe('/usr/share/bascule-hub/agent');
    expect(defaults[1]).toMatch(/packaging\/dist$/);
  });

  it('orders Debian versions', () => {
    expect(compareDebianVersions('1.0~rc1', '1.0')).toBeLessThan(0);
    expect(compareDebianVersions('1.0+b1', '1.0')).toBeGreaterThan(0);
    expect(compareDebianVersions('0.10.0', '0.9.9')).toBeGreaterThan(0);
    expect(compareDebianVersions('1.0-2', '1.0-10')).toBeLessThan(0);
    expect(compareDebianVersions('1.0', '1.0')).toBe(0);
  });
});
