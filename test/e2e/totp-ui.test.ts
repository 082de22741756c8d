import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base32Decode, hotp, totpStep } from '../../hub/src/auth/totp.js';
import { CHROMIUM, launchChromium } from './support/browser.js';
import { ADMIN_PASSWORD, type ApiClient, adminClient, type HubProcess, startHub } from './support/index.js';

const PASSWORD = 'la double authentification pour l’assistance';
const canRun = fs.existsSync(CHROMIUM);
if (!canRun && process.env.CI === 'true') throw new Error(`totp UI e2e: needs ${CHROMIUM}`);

/**
 * The TOTP second factor end to end on a real hub, in headless Chromium: the administrator requires it,
 * a helpdesk account is sent to its profile, enrols with the QR code's secret, keeps its recovery codes,
 * then signs in in two steps; a code already used is refused.
 */
describe.skipIf(!canRun)('TOTP second factor in the admin UI', () => {
  let hub: HubProcess;
  let admin: ApiClient;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let adminSecret = Buffer.alloc(0);
  const codeAt = (secret: Buffer, offset = 0) => hotp(secret, totpStep(Date.now()) + offset);

  beforeAll(async () => {
    hub = await startHub();
    admin = await adminClient(hub);
    expect((await hub.addUser('chloe', 'helpdesk', PASSWORD)).code).toBe(0);
    browser = await launchChromium();
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('limits an admin who has no TOTP to enrolment once it is required', async () => {
    expect((await admin.request('PUT', '/api/v1/settings/accounts', { requireTotp: true })).status).toBe(200);
    const refused = await admin.get<{ code: string }>('/api/v1/devices');
    expect([refused.status, refused.body.code]).toEqual([403, 'TOTP_ENROLMENT_REQUIRED']);
    const enrolment = await admin.post<{ secret: string }>('/api/v1/account/totp/enrolment');
    const secret = base32Decode(enrolment.body.secret);
    adminSecret = secret;
    const confirmed = await admin.post<{ recoveryCodes: string[] }>('/api/v1/account/totp/confirm', {
      code: codeAt(secret),
    });
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    expect((await admin.get('/api/v1/devices')).status).toBe(200);
    const status = await admin.get<Record<string, unknown>>('/api/v1/account/totp');
    expect(JSON.stringify(status.body)).not.toContain(enrolment.body.secret);
  });

  it('sends a helpdesk account to its profile, enrols with the QR code, then signs in in two steps', async () => {
    await page.goto(hub.url);
    await page.waitForURL(/#\/login/);
    await page.locator('input[name="username"]').fill('chloe');
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Connexion' }).click();
    await page.waitForURL(/#\/profile/);
    await page.getByText('Votre organisation exige la double authentification').waitFor();
    await page.getByRole('button', { name: 'Activer' }).click();
    const qr = page.locator('img[alt^="otpauth://totp/Bascule"]');
    await qr.waitFor();
    const uri = (await qr.getAttribute('alt')) ?? '';
    const secret = base32Decode(new URL(uri).searchParams.get('secret') ?? '');
    await page.getByLabel('Code à 6 chiffres').fill(codeAt(secret));
    await page.getByRole('button', { name: 'Confirmer' }).click();
    const codes = ((await page.getByTestId('recovery-codes').textContent()) ?? '').trim().split('\n');
    expect(codes).toHaveLength(10);
    await page.getByRole('button', { name: 'J’ai noté mes codes' }).click();
    await page
      .getByTestId('totp-status')
      .getByText(/Codes de secours restants : 10/)
      .waitFor();

    // Sign out, then in again: the password, then the code of the next step (this one was used).
    await page.evaluate(() => fetch('/api/v1/auth/logout', { method: 'POST', credentials: 'include' }));
    await page.goto(`${hub.url}/#/login`);
    await page.reload();
    await page.locator('input[name="username"]').fill('chloe');
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Connexion' }).click();
    const code = page.getByLabel('Code de l’application ou code de secours');
    await code.fill('000000');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByText('Code incorrect ou déjà utilisé.').waitFor();
    await code.fill(codeAt(secret, 1));
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByText('Bienvenue dans Bascule').waitFor();
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('shows what happened in the audit log, with a CSV export', { timeout: 60_000 }, async () => {
    const list = await admin.get<{ actor: string; action: string }[]>(
      '/api/v1/audit?filter={"action":"auth.totp"}&sort=["id","ASC"]',
    );
    expect(list.body.map((e) => [e.actor, e.action])).toEqual([
      ['admin', 'auth.totp_enrolled'],
      ['chloe', 'auth.totp_enrolled'],
      ['chloe', 'auth.totp_failed'],
    ]);
    const csv = await admin.get<string>('/api/v1/audit?format=csv&filter={"actor":"chloe"}');
    expect(String(csv.headers['content-type'])).toMatch(/text\/csv/);
    expect(String(csv.body)).toContain('auth.totp_enrolled');

    // The "Journal d'audit" page, as the administrator (who signs in with a code now).
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR' });
    const adminPage = await context.newPage();
    adminPage.on('pageerror', (error) => pageErrors.push(error.message));
    await adminPage.goto(hub.url);
    await adminPage.waitForURL(/#\/login/);
    await adminPage.locator('input[name="username"]').fill('admin');
    await adminPage.locator('input[name="password"]').fill(ADMIN_PASSWORD);
    await adminPage.getByRole('button', { name: 'Connexion' }).click();
    await adminPage.getByLabel('Code de l’application ou code de secours').fill(codeAt(adminSecret, 1));
    await adminPage.getByRole('button', { name: 'Valider' }).click();
    await adminPage.getByText('Bienvenue dans Bascule').waitFor();
    await adminPage.goto(`${hub.url}/#/audit`);
    await adminPage.getByRole('columnheader', { name: 'Auteur' }).waitFor();
    await adminPage.getByText('settings.accounts_changed').first().click();
    await adminPage.getByText('"requireTotp": true').first().waitFor();
    expect(await adminPage.getByRole('link', { name: 'Exporter (CSV)' }).getAttribute('href')).toMatch(
      /^\/api\/v1\/audit\?format=csv/,
    );
    expect(pageErrors).toEqual([]);
  });
});
