import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from './support/browser.js';
import {
  ADMIN_PASSWORD,
  type AgentProcess,
  ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  startAgent,
  startHub,
} from './support/index.js';

/**
 * "Or the hub says so": the helpdesk forces metered mode on a device from its page, the real agent on a
 * wired line goes frugal, and back to detection when the hub says `auto` again.
 */
describe('metered mode set on the hub reaches the real agent', () => {
  let hub: HubProcess;
  let api: ApiClient;
  let agent: AgentProcess;
  let browser: Browser;
  let page: Page;

  const agentSaid = (msg: string) =>
    agent.proc?.waitFor(() => agent.proc?.logs().find((l) => l.msg === msg), `the agent to log "${msg}"`, 30_000);

  beforeAll(async () => {
    hub = await startHub();
    api = await adminClient(hub);
    agent = await startAgent(hub);
    browser = await launchChromium();
    page = await (await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR' })).newPage();
    await signIn(page, hub.url, 'admin', ADMIN_PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
    await hub?.stop();
  });

  it('forced on from the device page, the agent goes frugal; auto over REST brings detection back', async () => {
    // The test machine's default route is not a mobile modem: detection alone says fixed line.
    await eventually(
      async () => ((await api.get<{ online: boolean }>(`/api/v1/devices/${agent.deviceId}`)).body.online ? true : null),
      'the agent online',
    );
    expect(agent.proc?.logs().some((l) => l.msg === 'metered link: frugal mode')).toBe(false);

    await page.goto(`${hub.url}/#/devices/${agent.deviceId}/show`);
    await page.getByRole('combobox', { name: 'Mode économe (4G)' }).click();
    await page.getByRole('option', { name: 'Toujours (imposé par le hub)' }).click();
    await page.getByText('Mode économe enregistré ; le poste le reçoit avec sa configuration.').waitFor();
    const frugal = await agentSaid('metered link: frugal mode');
    expect(frugal).toMatchObject({ mode: 'on' });
    expect((await api.get<{ metered: string }>(`/api/v1/devices/${agent.deviceId}`)).body.metered).toBe('on');
    await expect(page.getByRole('combobox', { name: 'Mode économe (4G)' }).textContent()).resolves.toBe(
      'Toujours (imposé par le hub)',
    );

    const back = await api.request('PATCH', `/api/v1/devices/${agent.deviceId}`, { metered: 'auto' });
    expect(back.status).toBe(200);
    expect(await agentSaid('fixed line: normal mode')).toMatchObject({ mode: 'auto' });

    const bad = await api.request<{ message: string }>('PATCH', `/api/v1/devices/${agent.deviceId}`, {
      metered: 'yes',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/metered must be "auto"/);

    // A viewer reads the setting but cannot change it.
    const password = 'une phrase de passe pour consulter les postes';
    expect((await hub.addUser('martine', 'viewer', password)).code).toBe(0);
    const viewer = new ApiClient(hub.url);
    expect((await viewer.post('/api/v1/auth/login', { username: 'martine', password })).status).toBe(200);
    expect((await viewer.get<{ metered: string }>(`/api/v1/devices/${agent.deviceId}`)).body.metered).toBe('auto');
    expect((await viewer.request('PATCH', `/api/v1/devices/${agent.deviceId}`, { metered: 'on' })).status).toBe(403);
    expect((await api.get<{ metered: string }>(`/api/v1/devices/${agent.deviceId}`)).body.metered).toBe('auto');
  }, 120_000);
});
