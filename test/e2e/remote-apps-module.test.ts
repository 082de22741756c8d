import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
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
} from './support/index.js';

interface Compliance {
  applied: number;
  failed: number;
  rows: { deviceId: string; status: string; error: string | null }[];
}

const USER = 'bascule-e2e-ra';
/** A domain-like account without a home yet: it gets its files once it has one. */
const NEWCOMER = 'bascule-e2e-ra2';

const ciril = {
  id: 'ciril-finances',
  name: 'Ciril Finances (Windows)',
  server: 'rds.mairie.local',
  program: 'C:\\Program Files\\Ciril\\finances.exe',
  domain: 'MAIRIE',
  gateway: { server: 'passerelle.mairie.fr' },
};

/**
 * The remote-apps module with a real hub and a real agent (root, as on a desktop) and real local
 * accounts: the policy written over REST, the Remmina profile and the menu launcher written in the
 * user's home with the user as owner, no password anywhere, and everything the module wrote (only
 * that) removed when the policy no longer targets the device. Remmina itself is not run.
 */
describe('remote-apps module with a real agent', () => {
  let hub: HubProcess;
  let api: ApiClient;
  let agent: AgentProcess;
  let policyId = '';
  let home = '';
  let uid = 0;

  const compliance = async () => (await api.get<Compliance>(`/api/v1/policies/${policyId}/compliance`)).body;

  beforeAll(async () => {
    for (const u of [USER, NEWCOMER]) {
      try {
        execFileSync('userdel', ['--remove', u], { stdio: 'ignore' });
      } catch {
        // not there from an earlier run: nothing to clean
      }
    }
    execFileSync('useradd', ['--create-home', '--shell', '/bin/bash', USER]);
    execFileSync('useradd', ['--no-create-home', '--home-dir', `/home/${NEWCOMER}`, '--shell', '/bin/bash', NEWCOMER]);
    home = execFileSync('getent', ['passwd', USER], { encoding: 'utf8' }).split(':')[5] ?? '';
    uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim());
    // A profile of the user's own, which the module must never touch.
    fs.mkdirSync(`${home}/.local/share/remmina`, { recursive: true });
    fs.writeFileSync(`${home}/.local/share/remmina/perso.remmina`, '[remmina]\nname=perso\n');
    hub = await startHub();
    api = await adminClient(hub);
    agent = await startAgent(hub, { department: 'Finances', heartbeatSeconds: 30 });
  }, 90_000);

  afterAll(async () => {
    await agent?.stop();
    await hub?.stop();
    for (const u of [USER, NEWCOMER]) execFileSync('userdel', ['--remove', u], { stdio: 'ignore' });
  });

  it('writes the profile and the launcher in the user’s home, owned by the user, without any password', async () => {
    const refused = await api.post<{ errors?: Record<string, string> }>('/api/v1/policies', {
      name: 'Ciril avec mot de passe',
      module: 'remote-apps',
      document: { users: [USER], apps: [{ ...ciril, password: 'Secret123' }] },
    });
    expect(refused.status).toBe(400);

    const created = await api.post<{ id: string }>('/api/v1/policies', {
      name: 'Applications Windows des Finances',
      module: 'remote-apps',
      document: { users: [USER, NEWCOMER], apps: [ciril] },
    });
    expect(created.status).toBe(201);
    policyId = created.body.id;
    expect((await api.request('PUT', `/api/v1/policies/${policyId}/assignments`, [{ kind: 'everyone' }])).status).toBe(
      200,
    );
    await eventually(async () => (await compliance()).applied === 1, 'remote-apps applied by the agent', 60_000);

    const profile = `${home}/.local/share/remmina/bascule-ciril-finances.remmina`;
    const launcher = `${home}/.local/share/applications/bascule-remote-app-ciril-finances.desktop`;
    const p = fs.lstatSync(profile);
    expect([p.uid, p.mode & 0o777]).toEqual([uid, 0o600]);
    const l = fs.lstatSync(launcher);
    expect([l.uid, l.mode & 0o777]).toEqual([uid, 0o644]);
    expect(fs.lstatSync(`${home}/.local/share/applications`).uid).toBe(uid);
    const text = fs.readFileSync(profile, 'utf8');
    expect(text).toContain(`protocol=RDP\nserver=rds.mairie.local\ndomain=MAIRIE\nusername=${USER}\n`);
    expect(text).toContain('disablepasswordstoring=1\n');
    expect(text).not.toMatch(/password=./);
    expect(fs.readFileSync(launcher, 'utf8')).toContain(`Exec=remmina -c ${profile}\n`);
    expect(fs.existsSync(`/home/${NEWCOMER}`)).toBe(false);
  });

  it('removes only what it wrote once the policy no longer targets the device', async () => {
    expect((await api.request('PUT', `/api/v1/policies/${policyId}/assignments`, [])).status).toBe(200);
    await eventually(
      async () => !fs.existsSync(`${home}/.local/share/remmina/bascule-ciril-finances.remmina`),
      'profile removed on release',
      60_000,
    );
    await eventually(
      async () => !fs.existsSync(`${home}/.local/share/applications/bascule-remote-app-ciril-finances.desktop`),
      'launcher removed on release',
      60_000,
    );
    expect(fs.readFileSync(`${home}/.local/share/remmina/perso.remmina`, 'utf8')).toBe('[remmina]\nname=perso\n');
  });

  it('is written in the admin UI’s form, in French, and the hub gets the document without empty fields', async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR' });
      const page = await context.newPage();
      await signIn(page, hub.url, 'admin', ADMIN_PASSWORD);
      await page.goto(`${hub.url}/#/policies/create`);
      await page.getByRole('combobox', { name: 'Module' }).click();
      await page.getByRole('option', { name: 'Applications Windows à distance' }).click();
      await page.locator('input[name="name"]').fill('Ciril pour la comptabilité');
      await page.getByText('Aucun mot de passe n’est enregistré').waitFor();
      await page.locator('textarea[name="document.users"]').fill(`${USER}\n\n${NEWCOMER}\n`);
      await page.locator('.button-add').first().click();
      await page.locator('input[name="document.apps.0.id"]').fill('ciril-finances');
      await page.locator('input[name="document.apps.0.name"]').fill('Ciril Finances (Windows)');
      await page.locator('input[name="document.apps.0.server"]').fill('rds mairie');
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      // The hub's schema message, in French, under the server's input.
      await page.getByText('Un nom de serveur est attendu, éventuellement suivi de').waitFor();
      await page.locator('input[name="document.apps.0.server"]').fill('rds.mairie.local');
      await page.locator('input[name="document.apps.0.domain"]').fill('MAIRIE');
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.waitForURL(/#\/policies\/[^/]+\/show/);
      await page.getByRole('cell', { name: 'rds.mairie.local' }).waitFor();
      const id = decodeURIComponent(page.url().match(/#\/policies\/([^/]+)\/show/)?.[1] ?? '');
      const saved = await api.get<{ module: string; document: unknown }>(`/api/v1/policies/${id}`);
      expect(saved.body).toMatchObject({
        module: 'remote-apps',
        document: {
          users: [USER, NEWCOMER],
          apps: [
            { id: 'ciril-finances', name: 'Ciril Finances (Windows)', server: 'rds.mairie.local', domain: 'MAIRIE' },
          ],
        },
      });
    } finally {
      await browser.close();
    }
  });
});
