import fs from 'node:fs';
import path from 'node:path';
import { createIdGenerator, encodePayload } from '@bascule/protocol';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from './support/browser.js';
import { connectAs } from './support/device-client.js';
import { ADMIN_PASSWORD, type ApiClient, adminClient, type HubProcess, startHub, tempDir } from './support/index.js';

/**
 * The configuration screens in a real browser against a real hub: a printers policy written in the
 * UI (the hub's field error for a bad URI shown under that printer's URI), a group with a member
 * picked by hostname, a second revision and its diff, a staged rollout followed ring by ring with
 * pause / resume / advance, and a viewer who sees everything but no button that changes anything.
 *
 * Devices are enrolled through the API; one of them reports a failure over MQTT with its own
 * credentials, as an agent would. Agents really applying policies are covered by rollouts.test.ts.
 */

const HOSTNAMES = ['pc-accueil-01', 'pc-accueil-02', 'pc-compta-01'];
const VIEWER_PASSWORD = 'une autre phrase pour la consultation';
const POLICY = 'Imprimantes de l’accueil';

/** `POST /enroll`: what a device keeps to connect to the broker. */
interface EnrollAnswer {
  deviceId: string;
  secret: string;
  mqttUrl: string;
  caCertPem: string;
}

describe('configuration UI in headless Chromium', () => {
  let hub: HubProcess;
  let api: ApiClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let policyId = '';
  let rolloutUrl = '';
  const enrolled: EnrollAnswer[] = [];
  const shots = process.env.BASCULE_SCREENSHOTS ?? tempDir('config-ui-screenshots');
  const pageErrors: string[] = [];
  let shotCount = 0;

  const shoot = async (name: string) => {
    shotCount += 1;
    await page.screenshot({
      path: path.join(shots, `${String(shotCount).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  };

  /** The MUI form control around an input: its label, the input and its helper or error text. */
  const control = (name: string) =>
    page.locator('.MuiFormControl-root', { has: page.locator(`input[name="${name}"]`) }).last();

  const confirm = async () => {
    await page.getByRole('dialog').getByRole('button', { name: 'Confirmer' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  };

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    hub = await startHub();
    api = await adminClient(hub);
    const added = await hub.addUser('lecteur', 'viewer', VIEWER_PASSWORD);
    if (added.code !== 0) throw new Error(`user add failed: ${added.stderr}`);
    const token = await hub.createToken('Accueil', { uses: HOSTNAMES.length });
    for (const [i, hostname] of HOSTNAMES.entries()) {
      const r = await api.post<EnrollAnswer>('/api/v1/enroll', {
        token: token.token,
        identity: { hostname, machineId: `machine-${i}`, dmiUuid: `dmi-${i}`, serial: `SN-${i}`, macs: [] },
      });
      if (r.status !== 200 && r.status !== 201) throw new Error(`enroll failed: ${r.status} ${JSON.stringify(r.body)}`);
      enrolled.push(r.body);
    }
    browser = await launchChromium();
    context = await browser.newContext({
      ignoreHTTPSErrors: true,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      viewport: { width: 1366, height: 900 },
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    console.info(`configuration UI screenshots: ${shots}`);
  });

  it('creates a printers policy, showing the hub’s error under the second printer’s URI until it is fixed', async () => {
    await signIn(page, hub.url, 'admin', ADMIN_PASSWORD);
    await page.getByRole('menuitem', { name: 'Stratégies' }).click();
    await page.getByRole('link', { name: 'Créer' }).click();
    await page.waitForURL(/#\/policies\/create/);
    await page.locator('input[name="name"]').fill(POLICY);

    await page.locator('.button-add').first().click();
    await page.locator('input[name="document.printers.0.name"]').fill('Accueil-Couleur');
    await page.locator('input[name="document.printers.0.uri"]').fill('ipp://127.0.0.1:631/printers/accueil');
    await page.locator('input[name="document.printers.0.location"]').fill('Hall');
    await page.locator('.button-add').first().click();
    await page.locator('input[name="document.printers.1.name"]').fill('Accueil-NB');
    await page.locator('input[name="document.printers.1.uri"]').fill('imprimante-accueil');
    await page.getByRole('button', { name: 'Enregistrer' }).click();

    // The hub answers 400 {errors: {"document.printers.1.uri": …}}: the message sits under that input only.
    const bad = control('document.printers.1.uri');
    await bad.getByText('Une adresse ipp://, ipps://, socket:// ou lpd:// est attendue.').waitFor(); // the schema's message, in French
    await expect(bad.locator('input').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(control('document.printers.0.uri').locator('input').getAttribute('aria-invalid')).resolves.toBe(
      'false',
    );
    expect(page.url()).toMatch(/#\/policies\/create/);
    await shoot('policy-field-error');

    await page.locator('input[name="document.printers.1.uri"]').fill('socket://127.0.0.1:9100');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/#\/policies\/[^/]+\/show/);
    policyId = decodeURIComponent(page.url().match(/#\/policies\/([^/]+)\/show/)?.[1] ?? '');
    await page.getByText('socket://127.0.0.1:9100').waitFor();
    await page.getByText('Accueil-Couleur').waitFor();
    await shoot('policy-show');

    const saved = await api.get<{
      latestRevision: number;
      document: { printers: { uri: string; location?: string }[] };
    }>(`/api/v1/policies/${policyId}`);
    expect(saved.body.latestRevision).toBe(1);
    expect(saved.body.document.printers.map((p) => p.uri)).toEqual([
      'ipp://127.0.0.1:631/printers/accueil',
      'socket://127.0.0.1:9100',
    ]);
    expect(saved.body.document.printers[1]?.location).toBeUndefined(); // an empty input is left out, not sent as null
  });

  it('assigns the policy to the whole fleet and lists every device as pending', async () => {
    await page.getByRole('tab', { name: 'Affectations' }).click();
    await page.locator('.button-add').first().click();
    await page.getByRole('combobox', { name: 'Cible' }).click();
    await page.getByRole('option', { name: 'Tout le parc' }).click();
    await page.getByRole('button', { name: 'Enregistrer les affectations' }).click();
    await page.getByText('Affectations enregistrées.').waitFor();
    const assigned = await api.get<{ kind: string }[]>(`/api/v1/policies/${policyId}/assignments`);
    expect(assigned.body).toEqual([{ kind: 'everyone' }]);

    await page.getByRole('tab', { name: 'Conformité' }).click();
    for (const h of HOSTNAMES) await page.locator('tr', { hasText: h }).getByText('En attente').waitFor();
    await shoot('policy-compliance');
  });

  it('creates a group with a member picked by hostname', async () => {
    await page.goto(`${hub.url}/#/groups/create`);
    await page.locator('input[name="name"]').fill('IT canary');
    const picker = page.getByRole('combobox', { name: 'Membres' });
    await picker.click();
    await picker.fill('pc-accueil-01');
    await page.getByRole('option', { name: 'pc-accueil-01' }).click();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/#\/groups\/[^/]+\/show/);
    await page.locator('tr', { hasText: 'pc-accueil-01' }).waitFor();
    const groups = await api.get<{ name: string; members: number }[]>('/api/v1/groups');
    expect(groups.body).toEqual([expect.objectContaining({ name: 'IT canary', members: 1 })]);
    await shoot('group-show');
  });

  it('saves revision 2 without deploying it and shows its diff', async () => {
    await page.goto(`${hub.url}/#/policies/${encodeURIComponent(policyId)}`);
    await page.locator('input[name="document.printers.0.location"]').fill('Hall, à gauche');
    await page.locator('input[name="comment"]').fill('emplacement précisé');
    await page.locator('input[name="deploy"]').uncheck();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/#\/policies\/[^/]+\/show/);
    await page.getByRole('tab', { name: 'Historique' }).click();
    await page.getByRole('cell', { name: 'emplacement précisé' }).waitFor();
    const diff = page.getByRole('table', { name: 'Différences entre deux révisions' });
    await diff.getByText('/printers/0/location').waitFor();
    await diff.getByText('Hall, à gauche').waitFor();
    await shoot('policy-diff');
    const policy = await api.get<{ latestRevision: number; deployedRevision: number }>(`/api/v1/policies/${policyId}`);
    expect(policy.body).toMatchObject({ latestRevision: 2, deployedRevision: 1 });
  });

  it('starts a rollout of revision 2, follows its rings, pauses, resumes and advances it', async () => {
    await page.getByRole('tab', { name: 'Résumé' }).click();
    await page.getByRole('link', { name: 'Déployer par étapes' }).first().click(); // the toolbar's, before the tabs
    await page.waitForURL(/#\/rollouts\/create/);
    // Prefilled from the policy: its latest revision, the canary group (beta testers does not exist), 10/50/100 %.
    await page.locator('input[name="plan.rings.3.percent"]').waitFor();
    await expect(page.locator('input[name="plan.rings.1.percent"]').inputValue()).resolves.toBe('10');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/#\/rollouts\/[^/]+\/show/);
    rolloutUrl = page.url();

    const state = page.locator('[data-state]').first();
    await expect.poll(() => state.getAttribute('data-state')).toBe('running');
    await expect(state.textContent()).resolves.toBe('En cours');
    // Ring 1 is the canary group, reached at once: its one device waits for its agent.
    const ring1 = page.locator('[data-ring="0"]');
    await ring1.getByText('Groupe « IT canary »').waitFor();
    await ring1.getByText(/0 appliqués, 0 en échec, 1 en attente sur 1 postes/).waitFor();
    await ring1.getByText('en cours').waitFor();
    await page.locator('[data-ring="1"]').getByText('pas encore atteinte').waitFor();
    await shoot('rollout-running');

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('dialog').getByText('Mettre le déploiement en pause ?').waitFor();
    await confirm();
    await expect.poll(() => state.getAttribute('data-state')).toBe('paused');
    await page.getByRole('button', { name: 'Pause' }).waitFor({ state: 'detached' });
    await shoot('rollout-paused');

    await page.getByRole('button', { name: 'Reprendre' }).click();
    await confirm();
    await expect.poll(() => state.getAttribute('data-state')).toBe('running');

    await page.getByRole('button', { name: 'Étape suivante' }).click();
    await confirm();
    // The hub's engine passes through a wave that holds no device at once, so ring 2 or a later one is current.
    await page.locator('[data-ring="0"]').getByText('en cours').waitFor({ state: 'detached' });
    const rollout = await api.get<{ state: string; currentRing: number }[]>(
      `/api/v1/rollouts?filter=${encodeURIComponent(JSON.stringify({ policyId }))}`,
    );
    expect(rollout.body).toEqual([expect.objectContaining({ state: 'running' })]);
    expect(rollout.body[0]?.currentRing).toBeGreaterThanOrEqual(1);
    await shoot('rollout-advanced');
  });

  it('lists the canary device that failed with its error, and shows the rollout halting by itself', async () => {
    // The canary device reports like an agent would: revision 2 failed, with the steps it took.
    const canary = enrolled[0] as EnrollAnswer;
    const config = await api.get<{ revision: number }>(`/api/v1/devices/${canary.deviceId}/config`);
    const client = await connectAs(canary);
    const error = 'lpadmin: Unable to connect to socket://127.0.0.1:9100';
    const at = new Date().toISOString();
    await client.publishAsync(
      `bascule/v1/d/${canary.deviceId}/report`,
      encodePayload({
        v: 1,
        id: createIdGenerator()(),
        ts: at,
        revision: config.body.revision,
        modules: {
          printers: {
            policyId,
            policyRevision: 2,
            status: 'failed',
            error,
            steps: [
              { description: 'modify queue Accueil-Couleur', outcome: 'done' },
              { description: 'create queue Accueil-NB', outcome: 'failed', error },
            ],
            at,
          },
        },
      }),
      { qos: 1 },
    );
    await client.endAsync();

    // No reload: the page refreshes itself while the rollout runs, and the hub's engine halts it (100 % ≥ 10 %).
    const failures = page.locator('.MuiCard-root', { hasText: 'Échec (1)' });
    await failures.locator('tr', { hasText: 'pc-accueil-01' }).getByText(error).waitFor({ timeout: 20_000 });
    const state = page.locator('[data-state]').first();
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 25_000 }).toBe('halted');
    await page.getByText(/ring 1 \(group IT canary\): 1 of 1 devices failed/).waitFor();
    await page.getByRole('button', { name: 'Reprendre' }).waitFor();
    await shoot('rollout-halted');

    // The policy's compliance lists it first, its steps one click away.
    await page.goto(`${hub.url}/#/policies/${encodeURIComponent(policyId)}/show/compliance`);
    const row = page.locator('tr', { hasText: 'pc-accueil-01' });
    await row.getByText('En échec').waitFor();
    await row.locator('.RaDatagrid-expandIcon').click(); // react-admin hides the icon from the accessibility tree
    await page.getByText('Échec — create queue Accueil-NB').waitFor();
    await page.getByText('Fait — modify queue Accueil-Couleur').waitFor();
    await shoot('policy-compliance-failed');

    // And per device: the device page's Configuration tab, module by module.
    await page.goto(`${hub.url}/#/devices/${canary.deviceId}/show/configuration`);
    const module = page.locator('tr', { hasText: 'Imprimantes' });
    await module.getByText('En échec').waitFor();
    await module.getByText(error).waitFor();
    await module.locator('.RaDatagrid-expandIcon').click();
    await page.getByText('Échec — create queue Accueil-NB').waitFor();
    await shoot('device-configuration-failed');
  });

  it('shows a viewer the same pages without a single button that changes anything', async () => {
    const viewerContext = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR' });
    const viewer = await viewerContext.newPage();
    viewer.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await signIn(viewer, hub.url, 'lecteur', VIEWER_PASSWORD);
      await viewer.goto(`${hub.url}/#/policies`);
      await viewer.locator('tr', { hasText: POLICY }).waitFor();
      expect(await viewer.getByRole('link', { name: 'Créer' }).count()).toBe(0);

      await viewer.goto(`${hub.url}/#/policies/${encodeURIComponent(policyId)}/show`);
      await viewer.getByText('Accueil-Couleur').waitFor();
      expect(await viewer.getByRole('link', { name: 'Éditer' }).count()).toBe(0);
      expect(await viewer.getByRole('link', { name: 'Déployer par étapes' }).count()).toBe(0);
      await viewer.getByRole('tab', { name: 'Affectations' }).click();
      await viewer.getByText('Tout le parc', { exact: true }).waitFor();
      expect(await viewer.getByRole('button', { name: 'Enregistrer les affectations' }).count()).toBe(0);

      await viewer.goto(rolloutUrl);
      // The ring the rollout stopped on: ring 2 or a later one (the engine passes through waves with no device).
      const [rollout] = (
        await api.get<{ currentRing: number }[]>(
          `/api/v1/rollouts?filter=${encodeURIComponent(JSON.stringify({ policyId }))}`,
        )
      ).body;
      expect(rollout?.currentRing).toBeGreaterThanOrEqual(1);
      await viewer.locator(`[data-ring="${rollout?.currentRing}"]`).getByText('en cours').waitFor();
      for (const name of ['Pause', 'Reprendre', 'Étape suivante', 'Annuler']) {
        expect(await viewer.getByRole('button', { name }).count(), name).toBe(0);
      }

      await viewer.goto(`${hub.url}/#/groups`);
      await viewer.locator('tr', { hasText: 'IT canary' }).waitFor();
      expect(await viewer.getByRole('link', { name: 'Créer' }).count()).toBe(0);
      // The create page is not even registered for a viewer.
      await viewer.goto(`${hub.url}/#/policies/create`);
      await viewer.locator('input[name="name"]').waitFor({ state: 'detached', timeout: 2_000 });
    } finally {
      await viewerContext.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
