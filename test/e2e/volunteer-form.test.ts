import https from 'node:https';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from './support/browser.js';
import {
  ADMIN_PASSWORD,
  type ApiClient,
  adminClient,
  eventually,
  HUB_BIN,
  type HubProcess,
  runNode,
  startHub,
} from './support/index.js';

interface Volunteer {
  id: string;
  name: string;
  state: string;
  machineId: string | null;
}

/**
 * Volunteer sign-up end to end with a real hub and headless Chromium: IT creates a link in the admin
 * UI, a staff member opens it in a browser without any account and fills the form, IT sees the
 * request and accepts it, and the registry machine becomes a candidate with the volunteer as main
 * user. A bot-like submission (sent at once, or with the hidden field filled) is refused.
 */
describe('volunteer form in headless Chromium', () => {
  let hub: HubProcess;
  let api: ApiClient;
  let browser: Browser;
  let it_: BrowserContext;
  let staff: BrowserContext;
  let admin: Page;
  let link = '';
  const pageErrors: string[] = [];

  const postCsv = (path: string, body: Buffer) =>
    new Promise<{ status: number; body: { id: string } }>((resolve, reject) => {
      const req = https.request(
        new URL(path, hub.url),
        { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'text/csv', cookie: api.cookie } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString('utf8');
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const waiting = async () =>
    (await api.get<Volunteer[]>('/api/v1/registry/volunteers?filter={"state":"waiting"}')).body;

  beforeAll(async () => {
    hub = await startHub();
    api = await adminClient(hub);
    const csv = Buffer.from(
      'Nom;Numéro de série;Service\r\npc-ecole-07;SN-E7;Mairie > Écoles\r\npc-mairie-01;SN-M1;Mairie\r\n',
    );
    const job = await postCsv('/api/v1/registry/imports?filename=parc.csv', csv);
    expect(job.status).toBe(201);
    expect((await api.post(`/api/v1/registry/imports/${job.body.id}/confirm`, {})).status).toBe(202);
    await eventually(
      async () => (await api.get<{ state: string }>(`/api/v1/registry/imports/${job.body.id}`)).body.state === 'done',
    );
    browser = await launchChromium();
    const options = { ignoreHTTPSErrors: true, locale: 'fr-FR', timezoneId: 'Europe/Paris' };
    it_ = await browser.newContext(options);
    staff = await browser.newContext(options);
    admin = await it_.newPage();
    admin.on('pageerror', (e) => pageErrors.push(e.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('lets IT create a sign-up link in the admin UI, shown once', async () => {
    await signIn(admin, hub.url, 'admin', ADMIN_PASSWORD);
    await admin.goto(`${hub.url}/#/registry/volunteers`);
    await admin.getByRole('button', { name: 'Créer un lien d’inscription' }).click();
    await admin.locator('input[name="campaignName"]').fill('Appel aux volontaires 2027');
    await admin.getByRole('dialog').getByRole('button', { name: 'Créer un lien d’inscription' }).click();
    await admin.getByText('Lien créé. Copiez-le maintenant').waitFor();
    link = await admin.locator('input[name="link"]').inputValue();
    expect(link).toMatch(new RegExp(`^${hub.url}/volontaires/[A-Za-z0-9_-]{32}$`));
    await admin.getByRole('button', { name: 'Fermer' }).click();
  });

  it('takes a request from a browser without any account', async () => {
    const page = await staff.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(link);
    await page.getByRole('heading', { name: 'Devenir volontaire pour Linux' }).waitFor();
    await page.getByText('Appel aux volontaires 2027').waitFor();
    await page.locator('input[name="name"]').fill('Élodie Martin');
    await page.getByRole('combobox').click();
    await page.getByRole('option', { name: 'Mairie › Écoles' }).click();
    await page.locator('input[name="machine"]').fill('PC-ECOLE-07');
    await page.locator('textarea[name="constraints"]').fill('Ciril Finances, Word');
    await page.locator('input[name="email"]').fill('elodie.martin@mairie.example');
    // A person takes a few seconds; the hub refuses a form sent faster than 3 s after the page came.
    await page.waitForTimeout(3_500);
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.getByText('Votre demande est enregistrée.').waitFor();
    // The page holds no session: the admin API stays closed to it.
    const status = await page.evaluate(async () => (await fetch('/api/v1/registry/volunteers')).status);
    expect(status).toBe(401);
    expect(await waiting()).toMatchObject([{ name: 'Élodie Martin', state: 'waiting' }]);
  });

  it('refuses bot-like submissions: sent at once, or with the hidden field filled', async () => {
    const page = await staff.newPage();
    await page.goto(link);
    await page.locator('input[name="name"]').fill('Robot');
    await page.locator('input[name="machine"]').fill('pc-mairie-01');
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.getByText('Envoi trop rapide').waitFor();

    await page.reload();
    await page.locator('input[name="name"]').fill('Robot');
    await page.locator('input[name="machine"]').fill('pc-mairie-01');
    await page.locator('input[name="website"]').fill('http://pub.example', { force: true });
    await page.waitForTimeout(3_500);
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.getByText('La demande n’a pas pu être envoyée').waitFor();
    expect(await waiting()).toHaveLength(1);
  });

  it('makes a link from the CLI too, which the form serves until it is revoked', async () => {
    const r = await runNode([
      HUB_BIN,
      'volunteer-link',
      'create',
      '--data',
      hub.dataDir,
      '--name',
      'Appel CLI',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const made = JSON.parse(r.stdout) as { id: string; url: string };
    const token = made.url.split('/volontaires/')[1] ?? '';
    expect((await api.get<{ campaign: string }>(`/api/v1/volunteer-form/${token}`)).body.campaign).toBe('Appel CLI');
    expect((await api.post(`/api/v1/registry/volunteer-campaigns/${made.id}/revoke`, {})).status).toBe(200);
    expect((await api.get(`/api/v1/volunteer-form/${token}`)).status).toBe(404);
  });

  it('lets IT accept the request: the registry machine becomes candidate with the volunteer as main user', async () => {
    // The list was open since the link was made: a reload shows what came in meanwhile.
    await admin.reload();
    await admin.getByText('Élodie Martin').waitFor();
    await admin.getByText('PC-ECOLE-07 (1 poste correspondant)').waitFor();
    await admin.getByText('Mairie › Écoles').waitFor();
    await admin.getByRole('button', { name: 'Accepter' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Confirmer' }).click();
    await admin.getByText('Demande acceptée').waitFor();
    expect(await waiting()).toEqual([]);
    const [accepted] = (await api.get<Volunteer[]>('/api/v1/registry/volunteers')).body;
    expect(accepted).toMatchObject({ state: 'accepted' });
    const machine = await api.get(`/api/v1/registry/machines/${accepted?.machineId}`);
    expect(machine.body).toMatchObject({ hostname: 'pc-ecole-07', status: 'candidate', mainUser: 'Élodie Martin' });
    expect(pageErrors).toEqual([]);
  });
});
