import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Logger } from '../core/logger.js';
import { FakeClock, testServices } from '../test-support.js';
import { AgentPackageService } from './agent-package.service.js';
import { AgentPackageStore, agentPackagesDir } from './agent-package.store.js';
import { readDebControl } from './deb-control.js';
import { buildTestDeb } from './deb-fixture.js';

type Services = Awaited<ReturnType<typeof testServices>>;

describe('AgentPackageStore (real SQLite, real dpkg-deb)', () => {
  let s: Services;
  let store: AgentPackageStore;
  let work: string;

  beforeEach(async () => {
    s = await testServices();
    work = fs.mkdtempSync(path.join(s.dir, 'work-'));
    store = new AgentPackageStore(s.database.db, agentPackagesDir(s.dir), readDebControl);
  });
  afterEach(async () => {
    await s.close();
    fs.rmSync(s.dir, { recursive: true, force: true });
  });

  it('keeps each version once, named by its control file, with its sha256 and size; highest first', async () => {
    for (const v of ['0.9.1', '0.10.0', '0.10.0~rc1']) {
      const deb = buildTestDeb(work, { version: v });
      const { pkg, added } = await store.add(deb, 'cli:root', '2026-12-03T10:00:00.000Z');
      expect(added).toBe(true);
      expect(pkg).toMatchObject({
        version: v,
        fileName: `bascule-agent_${v}_amd64.deb`,
        bytes: fs.statSync(deb).size,
        sha256: createHash('sha256').update(fs.readFileSync(deb)).digest('hex'),
        addedBy: 'cli:root',
      });
      expect(fs.readFileSync(path.join(store.dir, pkg.fileName))).toEqual(fs.readFileSync(deb));
    }
    expect((await store.list()).map((p) => p.version)).toEqual(['0.10.0', '0.10.0~rc1', '0.9.1']);
    expect((await store.byFileName('bascule-agent_0.9.1_amd64.deb'))?.version).toBe('0.9.1');
    expect(await store.byFileName('../bascule.db')).toBeUndefined();
    // No temporary file is left beside the packages.
    expect(fs.readdirSync(store.dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('takes the same package again as a no-op, and refuses another content under a stored version', async () => {
    const deb = buildTestDeb(work, { version: '0.2.0' });
    await store.add(deb, 'cli:root', '2026-12-03T10:00:00.000Z');
    expect((await store.add(deb, 'cli:root', '2026-12-03T11:00:00.000Z')).added).toBe(false);
    const other = buildTestDeb(work, { version: '0.2.0' }, ' rebuilt');
    await expect(store.add(other, 'cli:root', '2026-12-03T11:00:00.000Z')).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringMatching(/already holds bascule-agent 0\.2\.0 with another content.*higher version/),
    });
    expect((await store.list()).length).toBe(1);
  });

  it('refuses what is not a bascule-agent amd64 package, saying why', async () => {
    const refused = async (file: string) => {
      const err = await store.add(file, 'cli:root', '2026-12-03T10:00:00.000Z').catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      return (err as Error & { kind: string }).message;
    };
    expect(await refused(buildTestDeb(work, { package: 'bascule-hub', version: '1.0.0' }))).toMatch(
      /this is the package "bascule-hub", not bascule-agent/,
    );
    expect(await refused(buildTestDeb(work, { version: '1.0.0', architecture: 'arm64' }))).toMatch(
      /built for "arm64", not amd64/,
    );
    expect(await refused(buildTestDeb(work, { version: '1:1.0.0' }))).toMatch(/version "1:1\.0\.0" is not one/);
    const text = path.join(work, 'notes.deb');
    fs.writeFileSync(text, 'not an archive');
    expect(await refused(text)).toMatch(/^notes\.deb: not a Debian package/);
    expect(await refused(path.join(work, 'missing.deb'))).toMatch(/no such file/);
    expect(await store.list()).toEqual([]);
    expect(fs.existsSync(store.dir) ? fs.readdirSync(store.dir) : []).toEqual([]);
  });

  it('leaves a package whose file went missing (a restored backup) out of what devices get, until added again', async () => {
    const lines: string[] = [];
    let recomputed = 0;
    const service = new AgentPackageService(
      store,
      s.audit,
      async () => {
        recomputed++;
      },
      new FakeClock(),
      new Logger((l) => lines.push(l), 'debug'),
    );
    const deb = buildTestDeb(work, { version: '0.2.0' });
    await service.addFile(deb, 'cli:root');
    expect(recomputed).toBe(1);
    expect([...(await service.byVersion()).keys()]).toEqual(['0.2.0']);
    fs.rmSync(path.join(store.dir, 'bascule-agent_0.2.0_amd64.deb'));
    expect((await service.byVersion()).size).toBe(0);
    expect(lines.some((l) => l.includes('agent package file missing'))).toBe(true);
    expect(await service.download('bascule-agent_0.2.0_amd64.deb')).toBeUndefined();
    expect((await service.addFile(deb, 'cli:root')).added).toBe(true);
    expect(recomputed).toBe(2);
    expect((await service.byVersion()).get('0.2.0')?.path).toBe(
      '/api/v1/agent-packages/bascule-agent_0.2.0_amd64.deb/content',
    );
  });
});
