import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
} from './support/index.js';

interface GlpiStatus {
  configured: boolean;
  url: string;
  queueLength: number;
  devices: Array<{
    deviceId: string;
    attempts: number;
    lastSuccessAt: string | null;
    lastFailureAt: string | null;
    lastError: string | null;
  }>;
}

describe('GLPI forwarding: the real hub posts an agent inventory to a GLPI server', () => {
  const received: Array<{
    path: string;
    contentType: string;
    document: { deviceid?: string; action?: string; content?: Record<string, unknown> };
  }> = [];
  // GLPI's answers, in order: a database hiccup first, then acceptance.
  const answers = [500];
  const glpi = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        document: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      const status = answers.shift() ?? 200;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify(status === 200 ? { status: 'ok', expiration: 24 } : { status: 'error', message: 'SQL error' }),
      );
    });
  });
  let hub: HubProcess;
  let api: ApiClient;
  let agent: AgentProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await new Promise<void>((r) => glpi.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(glpi.address() as AddressInfo).port}/front/inventory.php`;
    hub = await startHub(['--glpi-url', url]);
    api = await adminClient(hub);
    agent = await startAgent(hub, { heartbeatSeconds: 60 });
    // Signed in before the first post: the failure must be seen in the 30 s before the retry.
    browser = await launchChromium();
    page = await (await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR' })).newPage();
    await signIn(page, hub.url, 'admin', ADMIN_PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
    await hub?.stop();
    await new Promise<void>((r) => glpi.close(() => r()));
  });

  it('retries after a GLPI error and delivers the full inventory, visible in /glpi/status', async () => {
    await eventually(async () => (received.length >= 1 ? true : null), 'a first post to GLPI', 90_000);
    const failing = (await api.get<GlpiStatus>('/api/v1/glpi/status')).body;
    expect(failing).toMatchObject({ configured: true, queueLength: 1 });
    expect(failing.devices[0]).toMatchObject({
      deviceId: agent.deviceId,
      attempts: 1,
      lastError: 'GLPI answered 500: SQL error',
    });

    // The failure in the admin UI: a warning on the home page that leads to the GLPI page, which shows
    // the device, the failure and GLPI's answer.
    await page.reload();
    const banner = page.getByTestId('glpi-failing-banner');
    await banner.getByText('Le dernier envoi a échoué pour 1 poste ; il est réessayé.').waitFor();
    await banner.getByRole('link').click();
    await page.getByText(/^Inventaires transférés à http:\/\/127\.0\.0\.1:\d+\/front\/inventory\.php$/).waitFor();
    const row = page.getByTestId(`glpi-device-${agent.deviceId}`);
    await row.getByText('En échec (1 essai)').waitFor();
    await expect(row.getByTestId('glpi-error').textContent()).resolves.toBe('GLPI answered 500: SQL error');
    await expect(row.getByRole('link').textContent()).resolves.toBe(agent.hostname);

    // The first retry comes 30 s after the failure.
    await eventually(async () => (received.length >= 2 ? true : null), 'the retry', 90_000);
    const last = received.at(-1);
    expect(last?.path).toBe('/front/inventory.php');
    expect(last?.contentType).toBe('application/json');
    expect(last?.document).toMatchObject({ action: 'inventory', itemtype: 'Computer' });
    expect(last?.document.content?.softwares).toEqual(expect.any(Array));
    const ok = await eventually(async () => {
      const s = (await api.get<GlpiStatus>('/api/v1/glpi/status')).body;
      return s.devices[0]?.lastSuccessAt ? s : null;
    }, 'a success in /glpi/status');
    expect(ok.queueLength).toBe(0);
    expect(ok.devices[0]).toMatchObject({ attempts: 0, lastError: 'GLPI answered 500: SQL error' });
    await page.reload();
    await page.getByTestId(`glpi-device-${agent.deviceId}`).getByText('Transféré').waitFor();
    await expect(page.getByTestId('glpi-failing').count()).resolves.toBe(0);
  }, 200_000);
});
