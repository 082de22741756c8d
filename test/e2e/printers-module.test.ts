import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_BIN,
  adminClient,
  eventually,
  freePort,
  REPO,
  runNode,
  startAgent,
  startHub,
  tempDir,
} from './support/index.js';

/**
 * The agent's `printers` module against a real cupsd on its own port and a virtual IPP Everywhere
 * printer (ippeveprinter), driven through `bascule-agent apply` with config files, as the daemon's child
 * process runs it (recipe: ../shared/test-rigs.md, section 2; rig: support/cups-rig.sh).
 */
const TOOLS = [
  'cupsd',
  'ippeveprinter',
  'ipptool',
  'lpadmin',
  'lpstat',
  'lpoptions',
  'lp',
  'avahi-daemon',
  'dbus-daemon',
];
const missing = TOOLS.filter(
  (t) => !['/usr/sbin', '/usr/bin', '/sbin', '/bin'].some((d) => fs.existsSync(`${d}/${t}`)),
);
const isRoot = process.getuid?.() === 0;
if ((missing.length > 0 || !isRoot) && process.env.CI === 'true') {
  throw new Error(
    `printers e2e: needs root and ${missing.join(', ')} (apt-get install cups cups-client cups-ipp-utils)`,
  );
}
if (missing.length > 0 || !isRoot) {
  console.warn(
    `\n*** printers e2e SKIPPED: needs root and the packages providing ${missing.join(', ') || '(root only)'} ***\n`,
  );
}

const RIG_SCRIPT = path.join(REPO, 'test/e2e/support/cups-rig.sh');
const NS = `bp${process.pid % 100000}`;

interface ModuleReport {
  status: string;
  error?: string;
  steps: { description: string; outcome: string; error?: string }[];
  observed?: { default: string | null; queues: { name: string; driver: string; makeAndModel: string }[] };
}
interface Report {
  revision: number;
  refused?: string;
  modules: Record<string, ModuleReport>;
}

describe.skipIf(missing.length > 0 || !isRoot)('printers module: real cupsd and IPP Everywhere printer', () => {
  const rig = tempDir('cups-rig');
  const state = tempDir('printers-agent');
  let server = '';
  let printerUri = '';
  let revision = 0;

  const cups = (bin: string, args: string[]) => execFileSync(bin, ['-h', server, ...args], { encoding: 'utf8' });
  const makeAndModel = (queue: string) =>
    /printer-make-and-model='([^']*)'/.exec(cups('lpoptions', ['-p', queue]))?.[1];

  /** Writes a config with the printers settings and runs `bascule-agent apply` on it. */
  async function apply(settings: unknown, extra: string[] = []): Promise<Report> {
    revision++;
    const file = path.join(state, `config-${revision}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify({
        v: 1,
        id: `01JE0000000000000000000${String(revision).padStart(3, '0')}`,
        ts: new Date().toISOString(),
        revision,
        modules: { printers: { policyId: 'pol-printers', policyRevision: revision, settings } },
      }),
    );
    const args = [AGENT_BIN, 'apply', '--json', '--state', state, '--config', file, '--cups-server', server];
    const r = await runNode([...args, '--printer-driver-timeout', '8', ...extra]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Report;
  }

  const accueil = {
    name: 'Accueil',
    uri: '',
    driver: { kind: 'everywhere' },
    description: 'Accueil (RDC)',
    location: 'Rez-de-chaussée',
    options: { duplex: 'two-sided-long-edge', paperSize: 'A4', color: false },
  };

  beforeAll(async () => {
    const cupsPort = await freePort();
    const printerPort = await freePort();
    server = `127.0.0.1:${cupsPort}`;
    printerUri = `ipp://localhost:${printerPort}/ipp/print`;
    accueil.uri = printerUri;
    execFileSync(RIG_SCRIPT, ['up', rig, NS, String(cupsPort), String(printerPort)], { stdio: 'inherit' });
    // A queue of the user's own: Bascule must never touch it.
    cups('lpadmin', ['-p', 'Perso', '-E', '-v', 'file:///dev/null', '-m', 'raw']);
  });

  afterAll(() => {
    execFileSync(RIG_SCRIPT, ['down', rig, NS], { stdio: 'inherit' });
    // cupsd may still be writing its cache as it exits.
    fs.rmSync(rig, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    fs.rmSync(state, { recursive: true, force: true });
  });

  it('creates an IPP Everywhere queue with its options and makes it the default; a second apply changes nothing', async () => {
    const first = await apply({ printers: [accueil], default: 'Accueil' });
    const m = first.modules.printers;
    expect(m?.status, JSON.stringify(m)).toBe('applied');
    expect(m?.steps.map((s) => s.outcome)).toEqual(['done', 'done', 'done']);
    expect(m?.steps[0]?.description).toMatch(/create queue Accueil: IPP Everywhere driver/);

    expect(makeAndModel('Accueil')).toMatch(/ - IPP Everywhere$/);
    expect(cups('lpstat', ['-d'])).toMatch(/system default destination: Accueil/);
    const attributes = cups('lpoptions', ['-p', 'Accueil']);
    expect(attributes).toContain('printer-location=Rez-de-chaussée');
    expect(attributes).toContain("printer-info='Accueil (RDC)'");
    // The driver's defaults: lpadmin -o sides/media/print-color-mode marks the generated PPD.
    const defaults = cups('lpoptions', ['-p', 'Accueil', '-l']);
    expect(defaults).toMatch(/^Duplex\/.*\*DuplexNoTumble/m);
    expect(defaults).toMatch(/^PageSize\/.*\*A4/m);
    expect(defaults).toMatch(/^ColorModel\/.*\*Gray/m);

    const again = await apply({ printers: [accueil], default: 'Accueil' });
    expect(again.modules.printers).toMatchObject({ status: 'applied', steps: [] });
    const dry = await runNode([
      AGENT_BIN,
      'apply',
      '--dry-run',
      '--state',
      state,
      '--config',
      path.join(state, `config-${revision}.json`),
      '--cups-server',
      server,
    ]);
    expect(dry.stdout).toMatch(/printers \(policy pol-printers, revision \d+\): nothing to do/);
  });

  it('prints a page that arrives in the virtual printer', async () => {
    const file = path.join(state, 'page.txt');
    fs.writeFileSync(file, 'Bascule test page\n');
    cups('lp', ['-d', 'Accueil', file]);
    const spooled = await eventually(
      async () => fs.readdirSync(path.join(rig, 'ipp-spool')).find((f) => f.endsWith('.pdf') || f.endsWith('.pwg')),
      'the job in ippeveprinter spool',
      60_000,
    );
    expect(fs.statSync(path.join(rig, 'ipp-spool', spooled)).size).toBeGreaterThan(100);
  });

  it('modifies the queue: only what changed', async () => {
    const changed = {
      ...accueil,
      location: 'Étage 1',
      options: { ...accueil.options, duplex: 'two-sided-short-edge' },
    };
    const r = await apply({ printers: [changed], default: 'Accueil' });
    expect(r.modules.printers?.status).toBe('applied');
    expect(r.modules.printers?.steps.map((s) => s.description)).toEqual([
      'set location "Étage 1" on Accueil',
      'set two-sided (short edge) on Accueil',
    ]);
    expect(cups('lpoptions', ['-p', 'Accueil', '-l'])).toMatch(/^Duplex\/.*\*DuplexTumble/m);
    expect(cups('lpoptions', ['-p', 'Accueil'])).toContain("printer-location='Étage 1'");
  });

  it('reports drift and puts the queue back when someone removed it', async () => {
    cups('lpadmin', ['-x', 'Accueil']);
    const r = await apply({
      printers: [{ ...accueil, location: 'Étage 1', options: { ...accueil.options, duplex: 'two-sided-short-edge' } }],
      default: 'Accueil',
    });
    // The input differs from the last applied one (new revision, same settings): fingerprints compare settings.
    expect(r.modules.printers?.status).toBe('drift');
    expect(makeAndModel('Accueil')).toMatch(/ - IPP Everywhere$/);
    expect(cups('lpstat', ['-d'])).toMatch(/Accueil/);
  });

  it('reports failure when the printer does not answer (lpadmin -m everywhere exits 0 and leaves a raw queue)', async () => {
    const deadPort = await freePort();
    const broken = { name: 'Couloir', uri: `ipp://127.0.0.1:${deadPort}/ipp/print`, driver: { kind: 'everywhere' } };
    const r = await apply({
      printers: [
        { ...accueil, location: 'Étage 1', options: { ...accueil.options, duplex: 'two-sided-short-edge' } },
        broken,
      ],
    });
    const m = r.modules.printers;
    expect(m?.status).toBe('failed');
    expect(m?.error).toMatch(/Couloir got no IPP Everywhere driver .*did not answer/);
    expect(m?.steps).toEqual([
      expect.objectContaining({ description: expect.stringMatching(/^create queue Couloir/), outcome: 'failed' }),
    ]);
    expect(makeAndModel('Couloir')).toBe('Local Raw Printer');
    expect(m?.observed?.queues.find((q) => q.name === 'Couloir')).toMatchObject({ driver: 'raw' });
  });

  it("removes only the queues it manages, never the user's own", async () => {
    const r = await apply({ printers: [] });
    expect(r.modules.printers?.status).toBe('applied');
    expect(r.modules.printers?.steps.map((s) => s.description).sort()).toEqual([
      'remove queue Accueil (no longer in the policy)',
      'remove queue Couloir (no longer in the policy)',
    ]);
    const queues = cups('lpstat', ['-v']);
    expect(queues).not.toMatch(/Accueil|Couloir/);
    expect(queues).toMatch(/device for Perso: /);
  });

  it('refuses invalid settings, and an invalid config while keeping the last good one (as the daemon runs it)', async () => {
    const r = await apply({ printers: [{ name: 'has space', uri: 'ftp://x', driver: { kind: 'everywhere' } }] });
    expect(r.modules.printers?.status).toBe('invalid');
    expect(r.modules.printers?.error).toMatch(/printers\.0\.name: queue name/);

    // The daemon stores what the hub sent as config/pending.json and runs `apply --json --state`.
    const pending = path.join(state, 'config/pending.json');
    const daemonApply = async (...extra: string[]) => {
      const out = await runNode([AGENT_BIN, 'apply', '--json', '--state', state, '--cups-server', server, ...extra]);
      expect(out.code, out.stderr).toBe(0);
      return JSON.parse(out.stdout) as Report;
    };
    fs.copyFileSync(path.join(state, 'config-1.json'), pending);
    expect((await daemonApply()).modules.printers?.status).toMatch(/applied|drift/);
    fs.writeFileSync(pending, JSON.stringify({ v: 1, revision: 99, modules: { printers: 'nope' } }));
    const report = await daemonApply();
    expect(report).toMatchObject({ revision: 99, modules: {} });
    expect(report.refused).toMatch(/^config refused, the last good one is kept: /);
    expect(JSON.parse(fs.readFileSync(path.join(state, 'config/last-good.json'), 'utf8')).revision).toBe(1);
    // The daemon's next periodic run applies the last good config.
    const again = await daemonApply('--last-good');
    expect(again.revision).toBe(1);
    expect(again.modules.printers?.status).toBe('applied');
    expect(cups('lpstat', ['-v'])).toMatch(/device for Accueil: /);
    await apply({ printers: [] });
  });

  it('through a real hub and agent daemon: a printers policy becomes a queue and an applied report', async () => {
    const hub = await startHub();
    // The daemon's apply child processes inherit CUPS_SERVER (the agent setting --cups-server does the same).
    process.env.CUPS_SERVER = server;
    const agent = await startAgent(hub, { heartbeatSeconds: 30 });
    try {
      const api = await adminClient(hub);
      const created = await api.post<{ id: string }>('/api/v1/policies', {
        name: 'Mairie printers',
        module: 'printers',
        document: { printers: [{ ...accueil, name: 'Mairie' }], default: 'Mairie' },
      });
      expect(created.status).toBe(201);
      const policy = created.body.id;
      expect((await api.request('PUT', `/api/v1/policies/${policy}/assignments`, [{ kind: 'everyone' }])).status).toBe(
        200,
      );
      const row = await eventually(
        async () => {
          const c = await api.get<{ rows: { status: string; error: string | null }[] }>(
            `/api/v1/policies/${policy}/compliance`,
          );
          return c.body.rows.find((r) => r.status !== 'pending');
        },
        'the agent report on the hub',
        60_000,
      );
      expect(row).toMatchObject({ status: 'applied', error: null });
      expect(makeAndModel('Mairie')).toMatch(/ - IPP Everywhere$/);
      expect(cups('lpstat', ['-d'])).toMatch(/system default destination: Mairie/);
    } finally {
      delete process.env.CUPS_SERVER;
      await agent.stop();
      await hub.stop();
    }
  });
});
