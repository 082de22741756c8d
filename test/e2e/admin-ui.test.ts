import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { type AgentProcess, type HubProcess, startAgent, startHub, tempDir } from './support/index.js';

/**
 * The admin UI in a real browser against a real hub and a real enrolled agent: first login with
 * the one-time password, the forced password change, the device list and the device page, in
 * French (the default) and in English.
 *
 * Screenshots land in BASCULE_SCREENSHOTS (or a temp dir printed at the end) for a person to look at.
 */

const DEPARTMENT = 'Informatique';
const NEW_PASSWORD = 'le chat de la médiathèque dort au soleil';

describe('admin UI in headless Chromium', () => {
  let hub: HubProcess;
  let agent: AgentProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const shots = process.env.BASCULE_SCREENSHOTS ?? tempDir('ui-screenshots');
  const pageErrors: string[] = [];
  let shotCount = 0;

  const shoot = async (name: string) => {
    shotCount += 1;
    await page.screenshot({
      path: path.join(shots, `${String(shotCount).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  };

  /** Waits for `text` to be visible, reloading the page between tries (data arriving from the agent). */
  const waitForTextWithReload = async (text: string | RegExp, timeoutMs = 45_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await page.getByText(text).first().waitFor({ state: 'visible', timeout: 3_000 });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await page.reload();
      }
    }
  };

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    hub = await startHub();
    agent = await startAgent(hub, { department: DEPARTMENT });
    // playwright's launch() gives every run a fresh temporary profile (its own --user-data-dir).
    browser = await launchChromium();
    // The hub's certificate comes from its private CA, which this throwaway browser does not trust.
    context = await browser.newContext({
      ignoreHTTPSErrors: true,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      viewport: { width: 1366, height: 860 },
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
    await hub?.stop();
    console.info(`admin UI screenshots: ${shots}`);
  });

  it('signs in with the one-time password and is made to change it', async () => {
    expect(hub.adminPassword).not.toBe('');
    await page.goto(hub.url);
    await page.waitForURL(/#\/login/);
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('input[name="password"]').fill(hub.adminPassword);
    await shoot('login');
    await page.getByRole('button', { name: 'Connexion' }).click();

    await page.waitForURL(/#\/change-password/);
    await page.getByText('Un bon mot de passe pour Bascule').waitFor();

    // Going around the form does not work: the hub answers 403 PASSWORD_CHANGE_REQUIRED and the UI comes back here.
    await page.goto(`${hub.url}/#/devices`);
    await page.waitForURL(/#\/change-password/);
    await page.getByText('Un bon mot de passe pour Bascule').waitFor();
    await page.getByText(/^au moins 15 caractères/).waitFor();
    await shoot('change-password');

    // The hub's policy refuses a password holding the user name: its field error is shown under the field.
    await page.locator('input[name="currentPassword"]').fill(hub.adminPassword);
    await page.locator('input[name="newPassword"]').fill('admin admin admin admin');
    await page.locator('input[name="confirmation"]').fill('admin admin admin admin');
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await page.getByText('Le mot de passe ne doit pas contenir le nom d’utilisateur.').waitFor(); // the hub's code, said in French
    expect(page.url()).toMatch(/#\/change-password/);
    await shoot('change-password-refused');

    await page.locator('input[name="newPassword"]').fill(NEW_PASSWORD);
    await page.locator('input[name="confirmation"]').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await page.waitForURL((url) => !url.hash.includes('change-password'));
    await page.getByText('Bienvenue dans Bascule').waitFor();
    await shoot('dashboard');
  });

  it('lists the enrolled device, online, in its department', async () => {
    await page.goto(`${hub.url}/#/devices`);
    const row = page.locator('tr', { hasText: agent.hostname });
    await waitForTextWithReload('En ligne');
    await row.first().waitFor();
    await expect(row.first().textContent()).resolves.toContain(DEPARTMENT);
    await expect(row.first().textContent()).resolves.toContain('En ligne');
    await shoot('devices');

    // Server-side filtering through the filter bar: "Hors ligne" hides the only (online) device...
    await page.getByRole('combobox', { name: 'État' }).click();
    await page.getByRole('option', { name: 'Hors ligne' }).click();
    await page.getByText('Effacer les filtres').first().waitFor();
    expect(await page.locator('tr', { hasText: agent.hostname }).count()).toBe(0);
    await expect.poll(() => decodeURIComponent(page.url())).toContain('"online":false');
    // ...and its department (fed by GET /departments, with its device count) shows it again.
    await page.getByRole('button', { name: 'Effacer les filtres' }).first().click();
    await page.getByRole('combobox', { name: 'Service' }).click();
    await page.getByRole('option', { name: `${DEPARTMENT} (1)` }).click();
    await page.locator('tr', { hasText: agent.hostname }).first().waitFor();
    await expect.poll(() => decodeURIComponent(page.url())).toContain(`"department":"${DEPARTMENT}"`);
    await shoot('devices-filtered');
  });

  it('opens the device page with its heartbeat and inventory sections', async () => {
    await page.goto(`${hub.url}/#/devices/${agent.deviceId}/show`);
    await page.getByRole('tab', { name: 'Aperçu' }).waitFor();
    for (const tab of ['Matériel', 'Système', 'Réseau', 'Logiciels']) {
      await page.getByRole('tab', { name: tab }).waitFor();
    }
    await waitForTextWithReload('Allumé depuis');
    await page.getByText('Mémoire').first().waitFor();
    await shoot('device-overview');

    await page.getByRole('tab', { name: 'Matériel' }).click();
    await waitForTextWithReload(/Processeur|La dernière collecte a échoué/);
    await shoot('device-hardware');

    await page.getByRole('tab', { name: 'Système' }).click();
    await waitForTextWithReload('Distribution');
    await expect(page.getByText('Noyau').first().isVisible()).resolves.toBe(true);
    await shoot('device-system');

    await page.getByRole('tab', { name: 'Réseau' }).click();
    await waitForTextWithReload('Adresse MAC');
    await shoot('device-network');

    await page.getByRole('tab', { name: 'Logiciels' }).click();
    await waitForTextWithReload(/paquets? installés?|La dernière collecte a échoué/);
    await shoot('device-software');
  });

  it('lets an admin create a helpdesk account', async () => {
    await page.goto(`${hub.url}/#/users/create`);
    await page.locator('input[name="username"]').fill('agnes.martin');
    await page.getByRole('combobox', { name: 'Rôle' }).click();
    await page.getByRole('option', { name: 'Assistance' }).click();
    await page.locator('input[name="password"]').fill('trop court');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Au moins 15 caractères (10 pour l’instant).').waitFor();
    await page.locator('input[name="password"]').fill('une phrase de passe pour agnès');
    await shoot('user-create');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/#\/users$/);
    const row = page.locator('tr', { hasText: 'agnes.martin' });
    await row.first().waitFor();
    await expect(row.first().textContent()).resolves.toContain('Assistance');
    await shoot('users');
  });

  it('switches to English from the app bar', async () => {
    await page.goto(`${hub.url}/#/devices/${agent.deviceId}/show`);
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByText('Last heartbeat').waitFor();
    await page.getByText('Up for').waitFor();
    await shoot('device-overview-en');

    // react-admin remembers the last list filter (offline, above): ask for the unfiltered list.
    await page.goto(`${hub.url}/#/devices?filter=%7B%7D`);
    await page.locator('tr', { hasText: agent.hostname }).first().waitFor();
    await page.getByText('Online').first().waitFor();
    await shoot('devices-en');
  });

  it('raised no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
