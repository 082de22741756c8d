import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { launchChromium, signIn } from './support/browser.js';
import {
  type AgentProcess,
  ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  startAgent,
  startHub,
  tempDir,
} from './support/index.js';

/**
 * The browser terminal end to end: a helpdesk user opens a shell on a real agent from the device page
 * of the real admin UI in headless Chromium (xterm.js over the hub's WebSocket, under the hub's CSP),
 * runs a command, resizes, and finds the session and its replay in the sessions list; a viewer gets
 * neither the tab nor the endpoint.
 */

const PASSWORD = 'une phrase de passe pour les tests e2e';

/** The lines xterm.js shows in `scope` (its DOM renderer: one div per row). */
async function screenLines(page: Page, scope: string): Promise<string[]> {
  return page.locator(`${scope} .xterm-rows > div`).allTextContents();
}

async function waitForLine(page: Page, scope: string, match: RegExp, what: string): Promise<string> {
  return eventually(
    async () =>
      (await screenLines(page, scope)).map((l) => l.replace(/\u00a0/g, ' ').trim()).find((l) => match.test(l)),
    what,
    20_000,
  );
}

describe('remote shell in the browser', () => {
  let hub: HubProcess;
  let agent: AgentProcess;
  let browser: Browser;
  const shots = process.env.BASCULE_SCREENSHOTS ?? tempDir('terminal-screenshots');
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  const newPage = async (username: string) => {
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      viewport: { width: 1366, height: 900 },
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
    });
    await signIn(page, hub.url, username, PASSWORD);
    return page;
  };

  const signedIn = async (username: string) => {
    const api = new ApiClient(hub.url);
    const r = await api.post('/api/v1/auth/login', { username, password: PASSWORD });
    expect(r.status).toBe(200);
    return api;
  };

  /** The HTTP status the hub answers a WebSocket upgrade with (101 when it upgrades). */
  const upgradeStatus = (cookie: string, origin: string) =>
    new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${hub.url.replace('https', 'wss')}/api/v1/devices/${agent.deviceId}/terminal`, {
        rejectUnauthorized: false,
        headers: { cookie, origin },
      });
      ws.on('upgrade', () => {
        resolve(101);
        ws.close();
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', reject);
    });

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    hub = await startHub();
    hub.adminPassword = await hub.proc.waitFor(
      () => hub.proc.stderr.join('\n').match(/one-time password: (\S+)/)?.[1],
      'the one-time admin password',
    );
    for (const [name, role] of [
      ['agnes', 'helpdesk'],
      ['victor', 'viewer'],
    ] as const) {
      const r = await hub.addUser(name, role, PASSWORD);
      expect(r.code, r.stderr).toBe(0);
    }
    agent = await startAgent(hub);
    const admin = await adminClient(hub);
    await eventually(
      async () => (await admin.get<{ online: boolean }>(`/api/v1/devices/${agent.deviceId}`)).body.online,
      'agent online',
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
    await hub?.stop();
    console.info(`terminal screenshots: ${shots}`);
  });

  it('a helpdesk user opens a shell from the device page, runs a command and resizes it', async () => {
    const page = await newPage('agnes');
    await page.goto(`${hub.url}/#/devices/${agent.deviceId}/show`);
    await page.getByRole('tab', { name: 'Terminal' }).click();
    await page.getByRole('button', { name: 'root' }).click();
    await page.getByRole('button', { name: 'Ouvrir le terminal' }).click();
    const status = page.getByTestId('terminal-status');
    await status.getByText(`Connecté à ${agent.hostname} en tant que root.`).waitFor({ timeout: 30_000 });

    const term = '[data-testid="device-terminal"]';
    await page.locator(`${term} .xterm`).click();
    await page.keyboard.type('echo $((6*7))\n');
    await waitForLine(page, term, /^42$/, '42 on the screen');

    // The size the shell sees follows the panel.
    await page.keyboard.type('stty size\n');
    const before = await waitForLine(page, term, /^\d+ \d+$/, 'stty size');
    const [rows1, cols1] = before.split(' ').map(Number) as [number, number];
    await page.setViewportSize({ width: 900, height: 700 });
    await page.keyboard.type('stty size\n');
    const after = await eventually(
      async () => {
        const lines = (await screenLines(page, term)).map((l) => l.replace(/\u00a0/g, ' ').trim());
        return lines.find((l) => /^\d+ \d+$/.test(l) && l !== before);
      },
      'a new stty size',
      20_000,
    );
    const [rows2, cols2] = after.split(' ').map(Number) as [number, number];
    expect(cols2).toBeLessThan(cols1);
    expect(rows2).toBeLessThan(rows1);
    await page.screenshot({ path: path.join(shots, 'terminal.png') });

    // The exit status is shown, and the shell is gone.
    await page.keyboard.type('exit 3\n');
    await status.getByText('Le shell s’est terminé avec le code 3.').waitFor();
    await page.getByRole('button', { name: 'Nouvelle session' }).waitFor();
    expect(cspViolations).toEqual([]);
    await page.context().close();
  });

  it('closing the session from the page ends it on the hub', async () => {
    const page = await newPage('agnes');
    await page.goto(`${hub.url}/#/devices/${agent.deviceId}/show/terminal`);
    await page.getByRole('button', { name: 'Ouvrir le terminal' }).click();
    await page
      .getByTestId('terminal-status')
      .getByText(/^Connecté à/)
      .waitFor({ timeout: 30_000 });
    const api = await signedIn('agnes');
    const active = await api.get<unknown[]>(
      `/api/v1/terminal-sessions?filter=${encodeURIComponent('{"active":true}')}`,
    );
    expect(active.body).toHaveLength(1);
    // Leaving the tab unmounts the terminal, which closes the socket and the session.
    await page.getByRole('tab', { name: 'Aperçu' }).click();
    await eventually(
      async () =>
        (await api.get<unknown[]>(`/api/v1/terminal-sessions?filter=${encodeURIComponent('{"active":true}')}`)).body
          .length === 0,
      'the session closed',
    );
    await page.context().close();
  });

  it('lists the sessions and replays the recorded output', async () => {
    const api = await signedIn('agnes');
    const list = await api.get<{ id: string; via: string; endReason: string; exitCode: number; bytesOut: number }[]>(
      '/api/v1/terminal-sessions?sort=["startedAt","ASC"]',
    );
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2);
    expect(list.body[0]).toMatchObject({ via: 'web', endReason: 'exit', exitCode: 3 });
    expect(list.body[1]).toMatchObject({ via: 'web', endReason: 'client-closed' });
    const first = list.body[0]?.id as string;

    const page = await newPage('agnes');
    await page.getByRole('menuitem', { name: 'Sessions de terminal' }).click();
    const rows = page.locator('tbody tr', { hasText: agent.hostname });
    await expect.poll(() => rows.count()).toBe(2);
    await expect(rows.last().textContent()).resolves.toMatch(/agnes.*Navigateur · root.*Fin du shell/);
    await rows.last().click();
    await page.waitForURL(new RegExp(`#/terminal-sessions/${first}/show`));
    await page.getByRole('button', { name: 'Aller à la fin' }).click();
    await waitForLine(page, '[data-testid="replay-terminal"]', /^42$/, '42 in the replay');
    await expect(page.getByRole('link', { name: /Télécharger l’enregistrement/ }).getAttribute('href')).resolves.toBe(
      `/api/v1/terminal-sessions/${first}/recording`,
    );
    await page.screenshot({ path: path.join(shots, 'replay.png'), fullPage: true });

    const cast = await api.get<string>(`/api/v1/terminal-sessions/${first}/recording`);
    expect(cast.status).toBe(200);
    expect(cast.headers['content-type']).toBe('application/x-asciicast');
    await page.context().close();
  });

  it('a helpdesk user registers and deletes an SSH key on their profile page', async () => {
    const dir = tempDir('browser-ssh-key');
    const key = path.join(dir, 'agnes');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'agnes@portable', '-f', key]);
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', `${key}.pub`])
      .toString()
      .split(' ')[1] as string;

    const page = await newPage('agnes');
    await page.getByRole('button', { name: 'Profil' }).click();
    await page.getByRole('menuitem', { name: 'Mon profil' }).click();
    await page.getByText('Aucune clé enregistrée.').waitFor();
    const box = page.getByLabel('Clé publique (une ligne authorized_keys)');
    // The private key by mistake: refused, said in French.
    await box.fill(fs.readFileSync(key, 'utf8'));
    await page.getByRole('button', { name: 'Ajouter la clé' }).click();
    await page.getByText('C’est une clé privée').waitFor();
    await box.fill(fs.readFileSync(`${key}.pub`, 'utf8'));
    await page.getByRole('button', { name: 'Ajouter la clé' }).click();
    const row = page.locator('tr', { hasText: fingerprint });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/agnes@portable.*ssh-ed25519.*jamais/);
    await page.screenshot({ path: path.join(shots, 'profile.png'), fullPage: true });

    await row.getByRole('button', { name: 'Supprimer' }).click();
    await page.getByRole('button', { name: 'Confirmer' }).click();
    await page.getByText('Aucune clé enregistrée.').waitFor();
    await page.context().close();
  });

  it('a viewer gets no terminal tab and is refused by the API and the WebSocket; other sites are refused too', async () => {
    const page = await newPage('victor');
    await page.goto(`${hub.url}/#/devices/${agent.deviceId}/show`);
    await page.getByRole('tab', { name: 'Aperçu' }).waitFor();
    await page.getByRole('tab', { name: 'Logiciels' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Terminal' }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: 'Sessions de terminal' }).count()).toBe(0);

    // Around the UI: the browser's own WebSocket never opens a session… (a string: vitest rewrites
    // `WebSocket` in this file to the `ws` import, which does not exist in the page)
    const url = `${hub.url.replace('https', 'wss')}/api/v1/devices/${agent.deviceId}/terminal`;
    const opened = await page.evaluate(`new Promise((resolve) => {
      const ws = new WebSocket(${JSON.stringify(url)});
      ws.onmessage = (e) => resolve('message ' + String(e.data));
      ws.onclose = (e) => resolve('closed ' + e.code);
    })`);
    expect(opened).toBe('closed 1006');
    await page.context().close();

    // …the hub answers 403 before the upgrade, and on the REST routes.
    const viewer = await signedIn('victor');
    expect(await upgradeStatus(viewer.cookie, hub.url)).toBe(403);
    expect((await viewer.get('/api/v1/terminal-sessions')).status).toBe(403);
    const helpdesk = await signedIn('agnes');
    expect(await upgradeStatus(helpdesk.cookie, 'https://evil.example')).toBe(403);
    expect(await upgradeStatus('', hub.url)).toBe(401);
    expect(await upgradeStatus(helpdesk.cookie, hub.url)).toBe(101);
    expect(pageErrors).toEqual([]);
  });

  it('says in French why a session cannot open: nobody signed in on the desktop, device offline since when', async () => {
    const page = await newPage('agnes');
    await page.goto(`${hub.url}/#/devices/${agent.deviceId}/show/terminal`);
    // This machine runs no desktop session: "the signed-in user" has nobody to be.
    await page.getByRole('button', { name: 'utilisateur connecté' }).click();
    await page.getByRole('button', { name: 'Ouvrir le terminal' }).click();
    const status = page.getByTestId('terminal-status');
    await status
      .getByText(`Personne n’est connecté sur ${agent.hostname}\u00a0: ouvrez plutôt le terminal en root.`)
      .waitFor({ timeout: 30_000 });

    await agent.stop();
    const admin = await adminClient(hub);
    await eventually(
      async () => !(await admin.get<{ online: boolean }>(`/api/v1/devices/${agent.deviceId}`)).body.online,
      'agent offline',
    );
    await page.getByRole('button', { name: 'Nouvelle session' }).click();
    await page.getByRole('button', { name: 'root' }).click();
    await page.getByRole('button', { name: 'Ouvrir le terminal' }).click();
    await status
      .getByText(new RegExp(`^${agent.hostname} est hors ligne depuis le \\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}\\.$`))
      .waitFor();
    await page.screenshot({ path: path.join(shots, 'offline.png') });
    await page.context().close();
  });
});
