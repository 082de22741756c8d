import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from './support/browser.js';
import {
  ADMIN_PASSWORD,
  type AgentProcess,
  type ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  startAgent,
  startHub,
  tempDir,
} from './support/index.js';

/**
 * The inventory and health screens in headless Chromium, against a real hub and a real agent: the
 * software list and its search, the Santé tab's charts drawn from the agent's samples, an alert
 * (a real, nearly full file system: an ext4 image loop-mounted for the test, as in
 * health-alerts.test.ts) listed, linked to its device and acknowledged, and the dashboard's fleet counts.
 *
 * Screenshots land in BASCULE_SCREENSHOTS (or a temp dir printed at the end).
 */

const DEPARTMENT = 'Comptabilité';

/** Loop-mounting needs root and mkfs.ext4; without them the alert is not provoked and its test is skipped. */
const canMount = process.getuid?.() === 0 && fs.existsSync('/usr/sbin/mkfs.ext4');

interface Device {
  os: string | null;
  model: string | null;
}

describe('inventory and health in the admin UI (headless Chromium)', () => {
  let hub: HubProcess;
  let api: ApiClient;
  let agent: AgentProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const shots = process.env.BASCULE_SCREENSHOTS ?? tempDir('inventory-ui-screenshots');
  const dir = tempDir('inventory-ui-fs');
  const mnt = path.join(dir, 'mnt');
  let mounted = false;
  let shotCount = 0;

  const shoot = async (name: string) => {
    shotCount += 1;
    await page.screenshot({
      path: path.join(shots, `${String(shotCount).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  };

  /** Waits for `locator`-like text, reloading between tries: the data comes from the agent in its own time. */
  const waitWithReload = async (probe: () => Promise<unknown>, timeoutMs = 40_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await probe();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await page.reload();
      }
    }
  };

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    if (canMount) {
      const image = path.join(dir, 'disk.img');
      fs.mkdirSync(mnt);
      execFileSync('truncate', ['-s', '8M', image]);
      execFileSync('mkfs.ext4', ['-q', '-F', image]);
      execFileSync('mount', ['-o', 'loop', image, mnt]);
      mounted = true;
      // 96 % used as df counts it, before the agent starts: its first samples open the alert.
      const st = fs.statfsSync(mnt);
      fs.writeFileSync(
        path.join(mnt, 'filler.bin'),
        Buffer.alloc(Math.floor(st.bfree * st.bsize - 0.04 * st.blocks * st.bsize)),
      );
      execFileSync('sync');
    }
    hub = await startHub();
    hub.adminPassword = await eventually(
      async () => hub.proc.stderr.join('\n').match(/one-time password: (\S+)/)?.[1],
      'the one-time password',
    );
    api = await adminClient(hub);
    agent = await startAgent(hub, { department: DEPARTMENT });
    browser = await launchChromium();
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      viewport: { width: 1366, height: 900 },
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, hub.url, 'admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
    await hub?.stop();
    if (mounted) execFileSync('umount', [mnt]);
    fs.rmSync(dir, { recursive: true, force: true });
    console.info(`inventory UI screenshots: ${shots}`);
  });

  it('shows every inventory tab, and the software list filters as one types', async () => {
    await page.goto(`${hub.url}/#/devices/${agent.deviceId}/show/software`);
    for (const tab of [
      'Matériel',
      'Système',
      'Réseau',
      'Logiciels',
      'Utilisateurs',
      'Imprimantes',
      'Domaine',
      'Antivirus',
      'Modem',
      'Santé',
    ]) {
      await page.getByRole('tab', { name: tab }).waitFor();
    }
    await page.getByRole('button', { name: "Télécharger l'inventaire GLPI (JSON)" }).waitFor();
    const rows = page.getByTestId('package-rows').locator('tr');
    await waitWithReload(() => rows.first().waitFor({ timeout: 3_000 }));
    await expect(page.getByTestId('package-count').textContent()).resolves.toMatch(/paquets installés/);
    expect(await rows.count()).toBeGreaterThan(10);
    await expect(
      page
        .getByText(/^Mis à jour le /)
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    await shoot('software');

    // Every Debian system has coreutils; hardly any other package name holds the word.
    await page.getByRole('textbox', { name: 'Rechercher (nom, version, origine)' }).fill('coreutils');
    await expect.poll(() => rows.count()).toBeLessThan(5);
    await expect(rows.first().textContent()).resolves.toContain('coreutils');
    await page.getByRole('textbox', { name: 'Rechercher (nom, version, origine)' }).fill('pas-un-paquet-xyz');
    await page.getByText('Aucun paquet ne correspond à « pas-un-paquet-xyz ».').waitFor();
    await shoot('software-search');

    // The other sections each show their collection date, or their error.
    for (const tab of ['Utilisateurs', 'Imprimantes', 'Domaine', 'Antivirus', 'Modem']) {
      await page.getByRole('tab', { name: tab }).click();
      await page
        .getByText(/^Mis à jour le |n’a pas encore envoyé/)
        .first()
        .waitFor();
    }
    await page.getByRole('tab', { name: 'Utilisateurs' }).click();
    await page.getByText('Connectés en ce moment').waitFor();
    await shoot('users');
  });

  it('draws the Santé charts from the agent’s samples', async () => {
    await eventually(async () => {
      const r = await api.get<{ points: unknown[] }>(`/api/v1/devices/${agent.deviceId}/health?range=24h`);
      return r.body.points.length >= 3;
    }, 'health samples');
    await page.goto(`${hub.url}/#/devices/${agent.deviceId}/show/health`);
    const memoryLine = page.getByTestId('chart-memory').locator('path.recharts-line-curve');
    await waitWithReload(() => memoryLine.first().waitFor({ timeout: 5_000 }));
    expect(await memoryLine.first().getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+[CL]/);
    await page.getByTestId('chart-load').locator('path.recharts-line-curve').first().waitFor();
    // One line per mount point the agent reports (the hub keeps each one's use, not only the fullest).
    const series = await api.get<{ points: { disks: Record<string, number> }[] }>(
      `/api/v1/devices/${agent.deviceId}/health?range=24h`,
    );
    const mounts = [...new Set(series.body.points.flatMap((p) => Object.keys(p.disks)))];
    expect(mounts).toContain('/');
    const diskLines = page.getByTestId('chart-disk').locator('path.recharts-line-curve');
    // attached, not visible: a disk's use barely moves in a minute, and a flat line has no height.
    await diskLines.first().waitFor({ state: 'attached' });
    expect(await diskLines.count()).toBe(Math.min(mounts.length, 8));
    if (mounts.length > 1) {
      for (const mount of mounts.slice(0, 8)) {
        await page
          .getByTestId('chart-disk')
          .locator('.recharts-legend-item-text', { hasText: mount })
          .first()
          .waitFor();
      }
    }
    await page.getByText(/\d+ relevés/).waitFor();
    await page.getByText('Occupation par point de montage').waitFor();
    await page.getByText('Allumé depuis').waitFor();
    await shoot('health-24h');

    // 7 days: the hourly roll-up (the hub rolls up at start and hourly; the current hour may not be there yet).
    await page.getByRole('button', { name: '7 jours' }).click();
    await page
      .getByText(/heures? agrégées?|Aucun relevé sur cette période/)
      .first()
      .waitFor();
    await shoot('health-7d');
  });

  it.skipIf(!canMount)('lists the disk-full alert in French, links to the device, and acknowledges it', async () => {
    await eventually(async () => {
      const r = await api.get<{ subject: string }[]>(
        `/api/v1/alerts?filter=${encodeURIComponent(JSON.stringify({ type: 'disk-full', deviceId: agent.deviceId }))}`,
      );
      return r.body.some((a) => a.subject === mnt);
    }, 'the disk-full alert');
    await page.goto(`${hub.url}/#/alerts`);
    const row = page.locator('tr', { hasText: mnt });
    await waitWithReload(() => row.first().waitFor({ timeout: 3_000 }));
    await expect(row.first().textContent()).resolves.toMatch(/Disque presque plein/);
    await expect(row.first().textContent()).resolves.toMatch(new RegExp(`${mnt} rempli à 9\\d\\s%`));
    await expect(row.first().textContent()).resolves.toContain('Ouverte');
    await expect(page.getByTestId('alerts-badge').textContent()).resolves.toMatch(/[1-9]/);
    await shoot('alerts');

    await row.first().getByRole('button', { name: 'Prendre en charge' }).click();
    await expect.poll(() => row.first().textContent()).toContain('Prise en charge');
    await expect(row.first().textContent()).resolves.toContain('admin');
    await shoot('alerts-acknowledged');

    // Filtered on the "Résolue" state only, the alert (still acknowledged) is not there.
    await page.goto(`${hub.url}/#/alerts?filter=${encodeURIComponent(JSON.stringify({ state: ['resolved'] }))}`);
    await page
      .getByText(/Aucun résultat/)
      .first()
      .waitFor();
    expect(await page.locator('tr', { hasText: mnt }).count()).toBe(0);

    // react-admin remembers the last filter: ask for the active alerts again.
    await page.goto(
      `${hub.url}/#/alerts?filter=${encodeURIComponent(JSON.stringify({ state: ['open', 'acknowledged'] }))}`,
    );
    await page.locator('tr', { hasText: mnt }).getByRole('link', { name: agent.hostname }).click();
    await page.waitForURL(new RegExp(`#/devices/${agent.deviceId}/show`));
  });

  it('shows the fleet counts on the dashboard, each linked to the filtered list', async () => {
    const device = (await api.get<Device>(`/api/v1/devices/${agent.deviceId}`)).body;
    await page.goto(`${hub.url}/#/`);
    await expect.poll(() => page.getByTestId('count-devices').textContent()).toContain('1');
    await expect(page.getByTestId('count-online').textContent()).resolves.toContain('1');
    const byOs = page.getByTestId('fleet-by-os');
    await byOs.waitFor();
    if (device.os) await byOs.getByText(device.os).waitFor();
    await page.getByTestId('fleet-by-department').getByText(DEPARTMENT).waitFor();
    if (canMount) await page.getByTestId('fleet-alerts-by-type').getByText('Disque presque plein').waitFor();
    await shoot('dashboard');

    if (device.model) {
      await page.getByTestId('fleet-by-model').getByRole('link', { name: device.model }).click();
      await expect.poll(() => decodeURIComponent(page.url())).toContain(`"model":"${device.model}"`);
      await page.locator('tr', { hasText: agent.hostname }).first().waitFor();
      await page.goto(`${hub.url}/#/`);
    }
    if (device.os) {
      await page.getByTestId('fleet-by-os').getByRole('link', { name: device.os }).click();
      await expect.poll(() => decodeURIComponent(page.url())).toContain('"os":');
      await page.locator('tr', { hasText: agent.hostname }).first().waitFor();
    }
  });

  it('raised no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
