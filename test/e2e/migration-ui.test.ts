import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from './support/browser.js';
import {
  ADMIN_PASSWORD,
  AgentProcess,
  type ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  startAgent,
  startHub,
  tempDir,
} from './support/index.js';

/*
 * The migration program in headless Chromium against a real hub and real agents: a Windows-1252 CSV of
 * 500 machines across a department tree ("Écoles", "Médiathèque"…) imported through the wizard (columns
 * mapped by hand, preview, per-line errors in French, confirm, progress), a real agent matched by this
 * machine's MAC and migrated once healthy, a second enrolment of the same hardware kept apart from the
 * review list, statuses and exceptions set on machine pages, a department's phase changed, and the
 * dashboard's percentages read in the page and compared with figures computed here from the file.
 *
 * Every agent of this test runs on this one machine, so only one can match a registry line by its
 * hardware (MAC); the second is the reinstall case and goes to review, as the hub documents.
 */

interface Machine {
  id: string;
  hostname: string;
  deviceId: string | null;
  status: string;
}

/** This machine's first real network card, as the agent reports it (as in registry.test.ts). */
function firstMac(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const i of list ?? []) if (!i.internal && i.mac !== '00:00:00:00:00:00') return i.mac;
  }
  throw new Error('no network card with a MAC address on this machine');
}

/** The department tree of the file: each leaf path and how many machines it holds (500 in all). */
const LEAVES: [string[], number][] = [
  [['Mairie', 'Écoles', 'École Jaurès'], 120],
  [['Mairie', 'Écoles', 'École Zola'], 80],
  [['Mairie', 'Médiathèque'], 60],
  [['Mairie', 'Services techniques'], 136],
  [['Mairie', 'Informatique'], 4],
  [['CCAS'], 100],
];

interface Line {
  hostname: string;
  serial: string;
  mac: string;
  path: string[];
  user: string;
}

function fleet(agentMac: string): Line[] {
  const lines: Line[] = [];
  let n = 0;
  for (const [p, count] of LEAVES) {
    for (let i = 0; i < count; i++) {
      n += 1;
      const hex = n.toString(16).padStart(4, '0');
      lines.push({
        hostname: `pc-${String(n).padStart(3, '0')}`,
        serial: `SN-${String(n).padStart(5, '0')}`,
        mac: `52-54-00-AA-${hex.slice(0, 2)}-${hex.slice(2)}`.toUpperCase(),
        path: p,
        user: n % 7 === 0 ? 'Hélène Pérez' : `agent${n}`,
      });
    }
  }
  // The agent's own machine is the first of Informatique (matched by its MAC).
  const it = lines.find((l) => l.path.at(-1) === 'Informatique');
  if (!it) throw new Error('no Informatique line');
  it.hostname = 'poste-informatique';
  it.mac = agentMac.toUpperCase().replace(/:/g, '-');
  return lines;
}

describe('the migration program in the admin UI (headless Chromium, real hub and agents)', () => {
  let hub: HubProcess;
  let api: ApiClient;
  let browser: Browser;
  let page: Page;
  let agent: AgentProcess;
  let again: AgentProcess | undefined;
  const pageErrors: string[] = [];
  const shots = process.env.BASCULE_SCREENSHOTS ?? tempDir('migration-ui-screenshots');
  let shotCount = 0;
  const shoot = async (name: string) => {
    shotCount += 1;
    await page.screenshot({
      path: path.join(shots, `${String(shotCount).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  };
  const lines = fleet(firstMac());
  const machine = async (hostname: string) => {
    const r = await api.get<Machine[]>(
      `/api/v1/registry/machines?filter=${encodeURIComponent(JSON.stringify({ q: hostname }))}`,
    );
    const m = r.body.find((x) => x.hostname === hostname);
    if (!m) throw new Error(`no registry machine ${hostname}`);
    return m;
  };

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    hub = await startHub();
    api = await adminClient(hub);
    browser = await launchChromium();
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, hub.url, 'admin', ADMIN_PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await again?.stop();
    await agent?.stop();
    await hub?.stop();
    console.info(`migration UI screenshots: ${shots}`);
  });

  it('imports 500 machines from a Windows-1252 file through the wizard', async () => {
    // Column names the hub cannot guess for three fields: they are mapped in the page.
    const header = 'Poste;Numéro de série;MAC;Rattachement;Utilisateur habituel;OS installé';
    const rows = lines.map((l) =>
      [l.hostname, l.serial, l.mac, l.path.join(' > '), l.user, 'Windows 10 Pro'].join(';'),
    );
    // Two bad lines at the end: a serial already in the file and a malformed MAC.
    rows.push('pc-doublon;SN-00001;;Mairie > Médiathèque;;Windows 10 Pro');
    rows.push('pc-mac;SN-99999;52-54-00-ZZ;Mairie > Médiathèque;;Windows 10 Pro');
    const file = path.join(tempDir('migration-ui-csv'), 'parc-mairie.csv');
    fs.writeFileSync(file, Buffer.from(`${[header, ...rows].join('\r\n')}\r\n`, 'latin1'));

    await page.goto(`${hub.url}/#/registry-import`);
    await page.getByText('Importer le parc depuis un fichier CSV').first().waitFor();
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByRole('button', { name: 'Analyser le fichier' }).click();
    await page.getByTestId('import-detected').waitFor();
    expect(await page.getByTestId('import-detected').textContent()).toMatch(
      /^Encodage détecté : Windows-1252 · séparateur « ; » · 502 lignes$/,
    );
    const confirm = page.getByRole('button', { name: "Confirmer l'import" });
    // The guessed mapping misses the department: the preview has no department yet.
    expect(await page.getByTestId('import-map-department').inputValue()).toBe('');
    await page.getByTestId('import-map-department').selectOption('Rattachement');
    await page.getByTestId('import-map-mainUser').selectOption('Utilisateur habituel');
    await page.getByTestId('import-map-os').selectOption('OS installé');
    expect(await confirm.isDisabled()).toBe(true); // the mapping is not applied yet
    await page.getByRole('button', { name: 'Appliquer la correspondance' }).click();
    const preview = page.getByTestId('import-preview');
    await preview.getByText('Mairie › Écoles › École Jaurès').first().waitFor();
    await preview.getByText('Windows 10 Pro').first().waitFor();
    expect(await preview.locator('tbody tr').count()).toBe(20);

    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    const errorRows = await errors.locator('tbody tr').allInnerTexts();
    expect(errorRows.map((r) => r.split('\t').map((c) => c.trim()))).toEqual([
      ['502', 'N° de série', 'N° de série en double dans le fichier'],
      ['503', 'Adresses MAC', 'Adresse MAC mal formée'],
    ]);
    await shoot('import-preview');
    expect((await api.get<unknown[]>('/api/v1/registry/machines')).body).toEqual([]); // nothing imported yet
    expect(await confirm.isDisabled()).toBe(true); // lines with errors: not without "skip"
    await page.getByLabel('Ignorer les lignes en erreur et importer les autres').check();
    await confirm.click();
    // The progress bar or, on a fast hub, the result straight away.
    await page.locator('[data-testid="import-progress"], [data-testid="import-done"]').first().waitFor();
    const done = page.getByTestId('import-done');
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toBe('Import terminé : 500 poste(s) importé(s), 2 ligne(s) ignorée(s).');
    await shoot('import-done');
    const list = await api.get<Machine[]>('/api/v1/registry/machines?range=[0,0]');
    expect(list.headers['content-range']).toMatch(/\/500$/);
  }, 60_000);

  it('matches a real agent by its MAC, migrates it once healthy and sends the same hardware to review', async () => {
    agent = await startAgent(hub, { department: 'Informatique' });
    const migrated = await eventually(
      async () => {
        const m = await machine('poste-informatique');
        return m.status === 'migrated' ? m : undefined;
      },
      'the matched machine migrated',
      60_000,
    );
    expect(migrated.deviceId).toBe(agent.deviceId);

    await page.goto(`${hub.url}/#/registry-machines/${encodeURIComponent(migrated.id)}/show`);
    await page.getByTestId('registry-linked-device').waitFor();
    await page.getByTestId('registry-status').getByText('Passé sous Linux').waitFor();

    // The same hardware enrolled again (a reinstall): a person decides, here to keep it apart.
    again = await new AgentProcess(hub, tempDir('migration-ui-again')).enroll('Informatique');
    await eventually(async () => {
      const r = await api.get<{ deviceId: string }[]>('/api/v1/registry/reviews?filter={"state":"open"}');
      return r.body.some((i) => i.deviceId === again?.deviceId);
    }, 'the review item');
    await page.goto(`${hub.url}/#/registry-reviews`);
    await page.getByText('Adresse MAC').first().waitFor();
    await shoot('review');
    await page.getByRole('button', { name: 'Garder à part' }).click();
    await page.getByText('Poste gardé à part.').waitFor();
    const items = await api.get<{ deviceId: string; state: string }[]>('/api/v1/registry/reviews');
    expect(items.body.find((i) => i.deviceId === again?.deviceId)?.state).toBe('kept-apart');
  }, 120_000);

  it('sets statuses and exceptions on machine pages, a reason required', async () => {
    const setStatus = async (hostname: string, status: string, fill?: (p: Page) => Promise<void>) => {
      const m = await machine(hostname);
      await page.goto(`${hub.url}/#/registry-machines/${encodeURIComponent(m.id)}/show`);
      await page.getByTestId('registry-new-status').selectOption({ label: status });
      await fill?.(page);
      await page.getByRole('button', { name: 'Enregistrer le statut' }).click();
      await page.getByText('Statut enregistré.').waitFor();
      await page
        .getByText('Statut enregistré.')
        .waitFor({ state: 'hidden', timeout: 10_000 })
        .catch(() => undefined);
    };
    // An exception without its reason is refused in the page before anything is sent.
    const first = await machine('pc-001');
    await page.goto(`${hub.url}/#/registry-machines/${encodeURIComponent(first.id)}/show`);
    await page.getByTestId('registry-new-status').selectOption({ label: 'Exception' });
    await page.getByRole('button', { name: 'Enregistrer le statut' }).click();
    await page.getByText('Indiquez le motif.').waitFor();
    expect((await machine('pc-001')).status).toBe('windows');

    await setStatus('pc-001', 'Exception', async (p) => {
      await p.getByTestId('registry-exception-reason').selectOption({ label: 'Logiciel métier incompatible' });
      await p.getByTestId('registry-workaround').fill('Ciril par RDP avec Remmina');
    });
    await page
      .getByTestId('registry-reason')
      .getByText('Logiciel métier incompatible — Ciril par RDP avec Remmina')
      .waitFor();
    await shoot('machine-exception');
    await setStatus('pc-002', 'Exception', async (p) => {
      await p.getByTestId('registry-exception-reason').selectOption({ label: "Refus de l'utilisateur" });
    });
    await setStatus('pc-201', 'Retour à Windows', async (p) => {
      await p.getByTestId('registry-rollback-reason').fill('Scanner du guichet sans pilote Linux');
    });
    await setStatus('pc-202', 'Planifié');
    await setStatus('pc-203', 'Candidat');

    const pc1 = await api.get<Record<string, unknown>>(`/api/v1/registry/machines/${first.id}`);
    expect(pc1.body).toMatchObject({
      status: 'exception',
      exceptionReason: 'business-software',
      exceptionWorkaround: 'Ciril par RDP avec Remmina',
    });
  }, 120_000);

  it('lists the machines of a department with its sub-departments, filtered by status, with the CSV export', async () => {
    const deps = await api.get<{ id: string; name: string }[]>('/api/v1/registry/departments');
    const ecoles = deps.body.find((d) => d.name === 'Écoles');
    if (!ecoles) throw new Error('no Écoles department');
    const filter = (f: object) => encodeURIComponent(JSON.stringify(f));
    await page.goto(`${hub.url}/#/registry-machines?filter=${filter({ departmentId: ecoles.id })}`);
    await page.getByText('1-25 sur 200').waitFor(); // École Jaurès (120) and École Zola (80)
    await shoot('machines-ecoles');
    await page.goto(
      `${hub.url}/#/registry-machines?filter=${filter({ departmentId: ecoles.id, status: 'exception' })}`,
    );
    await page.getByText('1-2 sur 2').waitFor();
    const href = await page.getByTestId('registry-csv-export').getAttribute('href');
    const csv = await page.request.get(`${hub.url}${href}`);
    const text = (await csv.body()).toString('utf8');
    expect(text.split('\r\n').filter((l) => l.trim() !== '')).toHaveLength(3); // header + the two exceptions
    expect(text).toContain('Ciril par RDP avec Remmina');
  });

  it('changes a department phase in the tree', async () => {
    await page.goto(`${hub.url}/#/registry-departments`);
    const row = page.getByTestId('department-row-Informatique');
    await row.getByRole('button', { name: 'Modifier' }).click();
    await row.getByTestId('department-edit-phase').selectOption({ label: 'Linux par défaut' });
    await row.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByTestId('department-row-Informatique').getByText('Linux par défaut').waitFor();
    // Children are shown under their parent, in French order.
    const names = await page.getByTestId('department-tree').locator('tbody tr td:first-child').allInnerTexts();
    expect(names.map((n) => n.trim())).toEqual([
      'CCAS',
      'Mairie',
      'Écoles',
      'École Jaurès',
      'École Zola',
      'Informatique',
      'Médiathèque',
      'Services techniques',
    ]);
    await shoot('departments');

    // A machine moved to another department on its page: the figures below follow it.
    const moved = await machine('pc-204');
    await page.goto(`${hub.url}/#/registry-machines/${encodeURIComponent(moved.id)}/show`);
    await page.getByTestId('registry-move').selectOption({ label: 'CCAS' });
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByText('Service enregistré.').waitFor();
    expect((await api.get<{ department: string }>(`/api/v1/registry/machines/${moved.id}`)).body.department).toBe(
      'CCAS',
    );
    const line = lines.find((l) => l.hostname === 'pc-204');
    if (line) line.path = ['CCAS'];
  });

  it('reads the right percentages on the Migration dashboard and its printable version', async () => {
    // Computed here from the file and what the test did: one migrated machine, in Informatique.
    const subtree = new Map<string, number>();
    for (const l of lines) for (const name of l.path) subtree.set(name, (subtree.get(name) ?? 0) + 1);
    const migratedIn = new Set(['Mairie', 'Informatique']);
    const pct = (name: string) => Math.round(((migratedIn.has(name) ? 1 : 0) / (subtree.get(name) ?? 1)) * 1000) / 10;
    const frPct = (v: number) => `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(v)}\u00a0%`;
    const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, '\u00a0');

    // Today's snapshot (the hub takes one a day by itself): the trend has its first point.
    expect((await api.post('/api/v1/registry/snapshots', {})).status).toBeLessThan(300);
    await page.getByRole('menuitem', { name: 'Migration' }).click();
    await page.waitForURL(/#\/migration$/);
    const orgPct = page.getByTestId('migration-organisation-pct');
    await orgPct.waitFor();
    expect(plain((await orgPct.textContent()) ?? '')).toBe(`${frPct(0.2)} des postes sont passés sous Linux`);
    const bars = page.getByTestId('migration-department');
    await bars.first().waitFor();
    const read = async () =>
      Promise.all(
        (await bars.all()).map(async (b) => [
          await b.getAttribute('data-name'),
          plain((await b.getByTestId('migration-department-pct').textContent()) ?? ''),
          plain((await b.textContent()) ?? ''),
        ]),
      );
    const byName = await read();
    expect(byName.map(([n]) => n)).toEqual([
      'CCAS',
      'École Jaurès',
      'École Zola',
      'Écoles',
      'Informatique',
      'Mairie',
      'Médiathèque',
      'Services techniques',
    ]);
    for (const [name, text, whole] of byName) {
      expect(text, name ?? '').toBe(frPct(pct(name ?? '')));
      const migrated = migratedIn.has(name ?? '') ? 1 : 0;
      expect(whole, name ?? '').toContain(`(${migrated} / ${subtree.get(name ?? '')} postes)`);
    }
    expect(subtree.get('CCAS')).toBe(101); // the moved machine counts where it is now
    expect(pct('Informatique')).toBe(25);
    await page.getByRole('button', { name: 'Par pourcentage' }).click();
    expect((await read()).slice(0, 2).map(([n]) => n)).toEqual(['Informatique', 'Mairie']);

    const statusRows = await page.getByTestId('migration-status-table').locator('tbody tr').allInnerTexts();
    expect(statusRows.map((r) => r.split('\t').map((c) => c.trim()))).toEqual([
      ['Windows', '494'],
      ['Candidat', '1'],
      ['Planifié', '1'],
      ['Passé sous Linux', '1'],
      ['Exception', '2'],
      ['Retour à Windows', '1'],
    ]);
    const exceptionRows = await page.getByTestId('migration-exception-table').locator('tbody tr').allInnerTexts();
    expect(exceptionRows.map((r) => r.split('\t').map((c) => c.trim())).sort()).toEqual(
      [
        ["Refus de l'utilisateur", '1', '0'],
        ['Logiciel métier incompatible', '1', '1'],
      ].sort(),
    );
    const phaseRows = await page.getByTestId('migration-phase-table').locator('tbody tr').allInnerTexts();
    const linuxByDefault = phaseRows
      .map((r) => r.split('\t').map((c) => c.trim()))
      .find((r) => r[0] === 'Linux par défaut');
    expect(linuxByDefault).toEqual(['Linux par défaut', '1', '4', '1']);
    await page.getByTestId('migration-trend').locator('.recharts-line-dot').first().waitFor(); // one day: a point, not yet a line
    // Nobody has signed up through the volunteer form in this test: none waiting.
    expect(await page.getByTestId('migration-volunteers').innerText()).toMatch(/\b0\b/);
    await shoot('migration');

    // The CSV of a table, as a person downloads it: UTF-8 with a BOM and ";" for French Excel.
    const href = await page
      .getByTestId('migration-by-department')
      .getByRole('link', { name: 'Exporter (CSV)' })
      .getAttribute('href');
    const csv = await page.request.get(`${hub.url}${href}`);
    expect(csv.status()).toBe(200);
    const bytes = await csv.body();
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('Médiathèque');

    // The printable version: the same figures without the app's menu, and a PDF out of it.
    await page.getByRole('link', { name: 'Version imprimable' }).click();
    await page.waitForURL(/#\/migration\/print$/);
    await page.getByTestId('migration-print').getByTestId('migration-organisation-pct').waitFor();
    expect(await page.getByRole('menuitem', { name: 'Migration' }).count()).toBe(0);
    expect(await page.getByTestId('migration-department').count()).toBe(8);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('button', { name: 'Imprimer' }).isVisible()).toBe(false);
    await shoot('print');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('maps a GLPI export with the GLPI preset', async () => {
    const header = "Nom;Entité;Numéro de série;Utilisateur;Système d'exploitation - Nom;Lieu";
    const rows = [
      'pc-glpi-1;Entité racine > Régie des eaux > Station de pompage;GLPI-001;Hélène Pérez;Windows 11 Pro;Bâtiment A',
      'pc-glpi-2;Entité racine > Régie des eaux;GLPI-002;;Windows 10 Pro;',
    ];
    const file = path.join(tempDir('migration-ui-glpi'), 'glpi.csv');
    fs.writeFileSync(file, Buffer.from(`${[header, ...rows].join('\r\n')}\r\n`, 'latin1'));
    await page.goto(`${hub.url}/#/registry-import`);
    await page.getByTestId('import-file').setInputFiles(file);
    await page.getByRole('button', { name: 'Analyser le fichier' }).click();
    await page.getByTestId('import-detected').waitFor();
    await page.getByRole('button', { name: 'Préréglage GLPI' }).click();
    expect(await page.getByTestId('import-map-department').inputValue()).toBe('Entité');
    expect(await page.getByTestId('import-map-os').inputValue()).toBe("Système d'exploitation - Nom");
    await page.getByRole('button', { name: 'Appliquer la correspondance' }).click();
    await page.getByTestId('import-preview').getByText('Entité racine › Régie des eaux › Station de pompage').waitFor();
    await page.getByRole('button', { name: "Confirmer l'import" }).click();
    expect(await page.getByTestId('import-done').textContent()).toBe(
      'Import terminé : 2 poste(s) importé(s), 0 ligne(s) ignorée(s).',
    );
    expect((await machine('pc-glpi-1')).status).toBe('windows');
    expect(pageErrors).toEqual([]);
  });
});
