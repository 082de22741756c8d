import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from './support/browser.js';
import {
  ADMIN_PASSWORD,
  AGENT_BIN,
  AgentProcess,
  type ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  spawnNode,
  startHub,
  tempDir,
} from './support/index.js';

/**
 * The antivirus screens in headless Chromium against a real hub and a real agent running real ClamAV
 * (../shared/test-rigs.md, section 3): an `antivirus` policy written in the form (a bad path refused
 * in French first) and assigned to the fleet; "Analyser maintenant" on the device page, its progress and
 * the EICAR file the test wrote found by clamscan with the test's own signature database; the file
 * restored from the quarantine after the confirmation; the fleet page's row.
 *
 * There is no systemd here: RIG/bin/systemctl stands in for it for the two ClamAV services (it records
 * enable/disable and answers is-active from that record; freshclam itself is not run, there is no internet).
 */

const TOOLS = ['/usr/bin/clamscan', '/usr/bin/chromium'];
const missing = TOOLS.filter((t) => !fs.existsSync(t));
if (missing.length > 0 && process.env.CI === 'true') throw new Error(`antivirus UI e2e: needs ${missing.join(', ')}`);
if (missing.length > 0) console.warn(`\n*** antivirus UI e2e SKIPPED: needs ${missing.join(', ')} ***\n`);

const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
const SIGNATURE = 'Custom.EICAR.Body.UNOFFICIAL';
const POLICY = 'Antivirus des postes de l’accueil';

describe.skipIf(missing.length > 0)('antivirus in the admin UI (headless Chromium, real ClamAV)', () => {
  let hub: HubProcess;
  let api: ApiClient;
  let agent: AgentProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const rig = tempDir('antivirus-ui-rig');
  const home = path.join(rig, 'home');
  const infected = path.join(home, 'agent', 'Téléchargements', 'facture.com');
  const shots = process.env.BASCULE_SCREENSHOTS ?? tempDir('antivirus-ui-screenshots');
  let shotCount = 0;

  const shoot = async (name: string) => {
    shotCount += 1;
    await page.screenshot({
      path: path.join(shots, `${String(shotCount).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  };

  /** The rig: a signature database that knows EICAR, freshclam.conf, a systemctl for the two services. */
  const buildRig = () => {
    const db = path.join(rig, 'db');
    fs.mkdirSync(db, { recursive: true });
    fs.writeFileSync(
      path.join(db, 'custom.ndb'),
      'Custom.EICAR.Body:0:*:45494341522d5354414e444152442d414e544956495255532d544553542d46494c45\n',
    );
    fs.writeFileSync(path.join(rig, 'freshclam.conf'), `DatabaseDirectory ${db}\nDatabaseMirror database.clamav.net\n`);
    fs.mkdirSync(path.join(rig, 'dispatcher'), { recursive: true });
    fs.mkdirSync(path.dirname(infected), { recursive: true });
    fs.writeFileSync(infected, EICAR, { mode: 0o640 });
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(home, 'agent', `note-${i}.txt`), `compte rendu ${i}\n`);
    const bin = path.join(rig, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(
      path.join(bin, 'systemctl'),
      `#!/bin/sh
# rig systemctl (no systemd here): clamav-freshclam and clamav-daemon, state kept in files.
state=${rig}/services
mkdir -p "$state"
case "$1" in
  is-active) [ -f "$state/$2" ] && { echo active; exit 0; }; echo inactive; exit 3 ;;
  enable) [ "$2" = --now ] && shift; touch "$state/$2" ;;
  disable) [ "$2" = --now ] && shift; rm -f "$state/$2" ;;
  restart) exit 0 ;;
  *) echo "rig systemctl: $*: not supported" >&2; exit 1 ;;
esac
`,
      { mode: 0o755 },
    );
    return { db, bin };
  };

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    const { db, bin } = buildRig();
    hub = await startHub();
    api = await adminClient(hub);
    agent = new AgentProcess(hub, tempDir('antivirus-ui-agent'), 1);
    await agent.enroll('Accueil');
    agent.proc = spawnNode(
      [
        AGENT_BIN,
        'run',
        '--state',
        agent.stateDir,
        '--heartbeat-seconds',
        '1',
        '--clamav-db-dir',
        db,
        '--freshclam-conf',
        path.join(rig, 'freshclam.conf'),
        '--clamd-conf',
        path.join(rig, 'clamd.conf'),
        '--clamd-socket',
        path.join(rig, 'clamd.sock'),
        '--nm-dispatcher-dir',
        path.join(rig, 'dispatcher'),
      ],
      { PATH: `${bin}:${process.env.PATH}` },
    );
    browser = await launchChromium();
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      viewport: { width: 1366, height: 1000 },
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, hub.url, 'admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
    await hub?.stop();
    fs.rmSync(rig, { recursive: true, force: true });
    console.info(`antivirus UI screenshots: ${shots}`);
  });

  it('writes an antivirus policy in the form, refusing a relative path in French, and assigns it', async () => {
    await page.getByRole('menuitem', { name: 'Stratégies' }).click();
    await page.getByRole('link', { name: 'Créer' }).click();
    await page.waitForURL(/#\/policies\/create/);
    await page.getByRole('combobox', { name: 'Module' }).click();
    await page.getByRole('option', { name: 'Antivirus' }).click();
    await page.locator('input[name="name"]').fill(POLICY);
    await page.locator('input[name="document.signatures.mirrorUrl"]').fill('ftp://clamav.ville.fr');

    await page.locator('.button-add').first().click();
    const paths = page.getByRole('combobox', { name: 'Chemins à analyser' });
    await paths.fill('home');
    await paths.press('Enter');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Une adresse http:// ou https:// est attendue, par exemple http://clamav.ville.fr.').waitFor();
    await page.getByText('Un chemin absolu est attendu, par exemple /home.').waitFor();
    expect(page.url()).toMatch(/#\/policies\/create/);
    await shoot('policy-errors');

    await page.locator('input[name="document.signatures.mirrorUrl"]').fill('');
    // Chips: remove the bad one, add the rig's home.
    await page.locator('.MuiChip-deleteIcon').first().click();
    await paths.fill(home);
    await paths.press('Enter');
    // A window far from now: no scheduled scan starts during the test, only the one asked for.
    const hour = (new Date().getHours() + 12) % 24;
    const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
    await page.locator('input[name="document.schedules.0.windowStart"]').fill(hh(hour));
    await page.locator('input[name="document.schedules.0.windowEnd"]').fill(hh(hour + 1));
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/#\/policies\/[^/]+\/show/);
    const policyId = decodeURIComponent(page.url().match(/#\/policies\/([^/]+)\/show/)?.[1] ?? '');
    await page.getByText(home).first().waitFor();
    await shoot('policy-show');

    const saved = await api.get<{ module: string; document: Record<string, unknown> }>(`/api/v1/policies/${policyId}`);
    expect(saved.body.module).toBe('antivirus');
    expect(saved.body.document).toMatchObject({
      schedules: [{ paths: [home], days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }],
      action: 'quarantine',
    });
    expect(saved.body.document.signatures).toEqual({ checksPerDay: 12 }); // the emptied mirror is left out

    await page.getByRole('tab', { name: 'Affectations' }).click();
    await page.locator('.button-add').first().click();
    await page.getByRole('combobox', { name: 'Cible' }).click();
    await page.getByRole('option', { name: 'Tout le parc' }).click();
    await page.getByRole('button', { name: 'Enregistrer les affectations' }).click();
    await page.getByText('Affectations enregistrées.').waitFor();

    // The agent applies it and reports ClamAV's state: the hub now takes the signatures from the module.
    await eventually(async () => {
      const r = await api.get<{ source: string | null; installed: boolean | null }>(
        `/api/v1/devices/${agent.deviceId}/antivirus`,
      );
      return r.body.source === 'module' && r.body.installed === true;
    }, 'the antivirus module report');
  });

  it('scans on demand from the device page, shows the EICAR detection, restores it from the quarantine', async () => {
    await page.goto(`${hub.url}/#/devices/${agent.deviceId}/show/antivirus`);
    const scan = page.getByTestId('antivirus-scan');
    await scan.getByText('Aucune analyse reçue de ce poste pour l’instant.').waitFor();
    await page.getByRole('button', { name: 'Analyser maintenant' }).click();
    await page.getByText('Analyse demandée ; la progression s’affiche ci-dessous.').waitFor();

    // The status is polled while the scan runs: the result appears without a reload.
    await scan.getByTestId('antivirus-result').getByText('Fichiers infectés').waitFor({ timeout: 60_000 });
    await scan.getByText(home).waitFor();
    const detections = page.getByTestId('antivirus-detections');
    await detections.getByText(infected).waitFor();
    await detections.getByText(SIGNATURE).waitFor();
    await detections.getByText('Mis en quarantaine').waitFor();
    const quarantine = page.getByTestId('antivirus-quarantine');
    await quarantine.getByText(infected).waitFor();
    expect(fs.existsSync(infected)).toBe(false);
    await shoot('device-detection');

    // The detection alert carries the signature and the path.
    const alerts = await api.get<{ type: string; detail: { signatures: string[]; detections: { path: string }[] } }[]>(
      `/api/v1/alerts?filter=${encodeURIComponent(JSON.stringify({ deviceId: agent.deviceId, type: 'antivirus-detection' }))}`,
    );
    expect(alerts.body).toHaveLength(1);
    expect(alerts.body[0]?.detail.signatures).toEqual([SIGNATURE]);
    expect(alerts.body[0]?.detail.detections.map((d) => d.path)).toEqual([infected]);

    await quarantine.getByRole('button', { name: 'Restaurer' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Restaurer ce fichier ?').waitFor();
    await dialog.getByText(infected, { exact: false }).waitFor();
    await shoot('restore-confirm');
    await dialog.getByRole('button', { name: 'Confirmer' }).click();
    await page.getByText(`Fichier restauré : ${infected}`).waitFor();
    await quarantine.getByText('La quarantaine est vide.').waitFor({ timeout: 30_000 });
    expect(fs.readFileSync(infected, 'latin1')).toBe(EICAR);
    expect(fs.statSync(infected).mode & 0o777).toBe(0o640);
    await shoot('device-restored');
  });

  it('lists the device on the fleet page with its last result and detections', async () => {
    await page.getByRole('menuitem', { name: 'Antivirus' }).click();
    await page.waitForURL(/#\/antivirus/);
    const row = page.locator('tr', { hasText: agent.hostname });
    await row.getByText('Fichiers infectés').waitFor();
    await expect(row.locator('td').nth(4).textContent()).resolves.toBe('1');
    await shoot('fleet');
    expect(pageErrors).toEqual([]);
  });
});
