import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestDeb } from '../../hub/src/agent-packages/deb-fixture.js';
import { launchChromium, signIn } from './support/browser.js';
import {
  ADMIN_PASSWORD,
  type ApiClient,
  adminClient,
  HUB_BIN,
  type HubProcess,
  runNode,
  startHub,
  tempDir,
} from './support/index.js';

/*
 * The agent-update policy form in headless Chromium against a real hub: the versions offered are the
 * packages the hub holds (added with `bascule-hub agent-package add`, highest first), the policy saved
 * names the chosen one with allowDowngrade, and its page reads it back. Packages are tiny real .debs
 * (dpkg-deb); the self-update itself is agent-self-update.test.ts.
 */

interface Policy {
  latestRevision: number;
  document: { version?: string; allowDowngrade?: boolean };
}

describe('agent-update policy form in headless Chromium', () => {
  let hub: HubProcess;
  let api: ApiClient;
  let browser: Browser;
  let page: Page;
  let policyId = '';
  const shots = process.env.BASCULE_SCREENSHOTS ?? tempDir('agent-update-ui-screenshots');
  const pageErrors: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    hub = await startHub();
    api = await adminClient(hub);
    const work = tempDir('agent-update-ui-debs');
    for (const version of ['0.2.0', '0.10.0']) {
      const r = await runNode([
        HUB_BIN,
        'agent-package',
        'add',
        buildTestDeb(work, { version }),
        '--data',
        hub.dataDir,
      ]);
      if (r.code !== 0) throw new Error(`agent-package add failed: ${r.stderr}`);
      expect(r.stdout).toContain(`bascule-agent ${version} added`);
    }
    browser = await launchChromium();
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    console.info(`agent-update UI screenshots: ${shots}`);
  });

  it('offers the versions the hub holds, highest first, and saves the chosen one', async () => {
    await signIn(page, hub.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${hub.url}/#/policies/create`);
    await page.getByRole('combobox', { name: 'Module' }).click();
    await page.getByRole('option', { name: 'Mise à jour de l’agent' }).click();
    await page.locator('input[name="name"]').fill('Version de l’agent, accueil');
    await page.getByText('Les postes visés téléchargent ce paquet depuis le hub').waitFor();

    await page.getByRole('combobox', { name: 'Version de l’agent' }).click();
    const options = page.getByRole('option');
    await options.first().waitFor();
    const labels = await options.allTextContents();
    expect(labels).toHaveLength(2);
    expect(labels[0]).toMatch(/^0\.10\.0 \(0,0 Mio, ajoutée le \d{2}\/\d{2}\/\d{4}\)$/);
    expect(labels[1]).toMatch(/^0\.2\.0 \(/);
    await page.screenshot({ path: path.join(shots, '01-versions.png'), fullPage: true });
    await options.nth(1).click();
    await expect(page.locator('input[name="document.allowDowngrade"]').isChecked()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/#\/policies\/[^/]+\/show/);
    policyId = decodeURIComponent(page.url().match(/#\/policies\/([^/]+)\/show/)?.[1] ?? '');
    await page.getByText('Autoriser le retour à une version plus ancienne').waitFor();
    await page.getByText('0.2.0', { exact: true }).waitFor();
    await page.screenshot({ path: path.join(shots, '02-policy-show.png'), fullPage: true });

    const saved = await api.get<Policy>(`/api/v1/policies/${policyId}`);
    expect(saved.body).toMatchObject({ latestRevision: 1, document: { version: '0.2.0', allowDowngrade: false } });
  });

  it('edits the policy to another version with a downgrade allowed', async () => {
    await page.goto(`${hub.url}/#/policies/${encodeURIComponent(policyId)}`);
    await page.getByRole('combobox', { name: 'Version de l’agent' }).click();
    await page.getByRole('option', { name: /^0\.10\.0 / }).click();
    await page.locator('input[name="document.allowDowngrade"]').check();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForURL(/#\/policies\/[^/]+\/show/);
    const saved = await api.get<Policy>(`/api/v1/policies/${policyId}`);
    expect(saved.body).toMatchObject({ latestRevision: 2, document: { version: '0.10.0', allowDowngrade: true } });
    expect(pageErrors).toEqual([]);
  });
});
