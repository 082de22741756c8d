import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createIdGenerator, encodePayload, type InventorySections } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Logger } from '../core/logger.js';
import { openHubServices } from '../services.js';
import { enrolTestDevice, FakeClock, testServices } from '../test-support.js';
import { GlpiExportService } from './glpi-export.service.js';
import { GlpiForwardRepository } from './glpi-forward.repository.js';
import { displayUrl, GlpiForwarder, refusalOf } from './glpi-forwarder.js';
import { GlpiHttpClient } from './glpi-http.client.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const ids = createIdGenerator();
const TIMING = { firstRetryMs: 30_000, maxRetryMs: 3_600_000, pollMs: 3_600_000 };

/** A local HTTP server playing GLPI's /front/inventory.php: answers with the next scripted status. */
class FakeGlpi {
  readonly received: Array<{ path: string; contentType: string; auth: string; document: Record<string, unknown> }> = [];
  answers: number[] = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.received.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        auth: req.headers.authorization ?? '',
        document: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      const status = this.answers.shift() ?? 200;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify(
          status === 200 ? { status: 'ok', expiration: 24 } : { status: 'error', message: 'Database is gone away' },
        ),
      );
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://glpi-agent:s3cret@127.0.0.1:${(this.server.address() as AddressInfo).port}/front/inventory.php`;
  }
  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

const enrolled = (s: Services, hostname: string) => enrolTestDevice(s, { hostname });

const OS: InventorySections['os'] = {
  hash: 'a'.repeat(64),
  data: {
    platform: 'linux',
    distro: 'Zorin OS',
    release: '17.2',
    kernel: '6.8.0-49-generic',
    arch: 'x64',
    hostname: 'accueil-01',
  },
};

describe('GlpiForwarder (a local HTTP server as GLPI, real SQLite)', () => {
  let s: Services;
  let clock: FakeClock;
  let glpi: FakeGlpi;
  let url: string;
  let forwarder: GlpiForwarder;
  let client: GlpiHttpClient;
  let device: string;

  const newForwarder = () => {
    client = new GlpiHttpClient(url);
    return new GlpiForwarder(
      client,
      displayUrl(url),
      new GlpiForwardRepository(s.database.db),
      new GlpiExportService(s.deviceService, clock),
      s.audit,
      clock,
      new Logger(() => {}, 'error'),
      TIMING,
    );
  };
  const audit = () =>
    s.database.db.selectFrom('audit_log').select(['action', 'target']).where('action', 'like', 'glpi.%').execute();

  beforeEach(async () => {
    clock = new FakeClock();
    s = await testServices(clock);
    glpi = new FakeGlpi();
    url = await glpi.start();
    device = await enrolled(s, 'accueil-01');
    forwarder = newForwarder();
    forwarder.start();
  });
  afterEach(async () => {
    await forwarder.stop();
    await glpi.stop();
    await s.close();
  });

  it('posts the stored inventory as GLPI native JSON, then retries a 500 with backoff until GLPI accepts', async () => {
    glpi.answers = [500, 500];
    await forwarder.inventoryStored(device);
    await forwarder.kick();
    expect(glpi.received).toHaveLength(1);
    const first = glpi.received[0];
    expect(first?.path).toBe('/front/inventory.php');
    expect(first?.contentType).toBe('application/json');
    expect(first?.auth).toBe(`Basic ${Buffer.from('glpi-agent:s3cret').toString('base64')}`);
    expect(first?.document).toMatchObject({ action: 'inventory', itemtype: 'Computer' });

    let status = await forwarder.status();
    expect(status).toMatchObject({ configured: true, queueLength: 1 });
    expect(status.url).not.toContain('s3cret');
    expect(status.devices[0]).toMatchObject({
      deviceId: device,
      hostname: 'accueil-01',
      pending: true,
      attempts: 1,
      lastSuccessAt: null,
      lastError: 'GLPI answered 500: Database is gone away',
      nextAttemptAt: new Date(clock.now().getTime() + 30_000).toISOString(),
    });

    // Not due yet: nothing sent.
    clock.advance(29_000);
    await forwarder.kick();
    expect(glpi.received).toHaveLength(1);
    // First retry after 30 s fails again: the next wait doubles.
    clock.advance(1_000);
    await forwarder.kick();
    expect(glpi.received).toHaveLength(2);
    status = await forwarder.status();
    expect(status.devices[0]?.attempts).toBe(2);
    expect(status.devices[0]?.nextAttemptAt).toBe(new Date(clock.now().getTime() + 60_000).toISOString());

    clock.advance(60_000);
    await forwarder.kick();
    expect(glpi.received).toHaveLength(3);
    status = await forwarder.status();
    expect(status.queueLength).toBe(0);
    expect(status.devices[0]).toMatchObject({ pending: false, attempts: 0, lastSuccessAt: clock.now().toISOString() });
    expect(status.devices[0]?.lastFailureAt).not.toBeNull();
    expect(await audit()).toEqual([
      { action: 'glpi.forward.failed', target: device },
      { action: 'glpi.forward.recovered', target: device },
    ]);
  });

  it('keeps the queue across a hub restart', async () => {
    glpi.answers = [503];
    await forwarder.inventoryStored(device);
    await forwarder.kick();
    await forwarder.stop();
    // A new forwarder on the same database, as after a restart.
    forwarder = newForwarder();
    expect((await forwarder.status()).queueLength).toBe(1);
    forwarder.start();
    clock.advance(30_000);
    await forwarder.kick();
    expect(glpi.received).toHaveLength(2);
    expect((await forwarder.status()).queueLength).toBe(0);
  });

  it('queues what ingest stores (a full inventory, a delta with a changed section), not a duplicate', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-glpi-spec-'));
    const hub = await openHubServices(dir, clock, new Logger(() => {}, 'error'), undefined, { url, timing: TIMING });
    try {
      const pc = await enrolled(hub, 'compta-02');
      hub.glpiForwarder.start();
      const full = encodePayload({
        v: 1,
        id: ids(),
        ts: clock.now().toISOString(),
        kind: 'full',
        sections: { os: OS },
      });
      expect(await hub.ingest.ingest(pc, 'inventory', full)).toBe('stored');
      await hub.glpiForwarder.kick();
      expect(glpi.received).toHaveLength(1);
      expect(await hub.ingest.ingest(pc, 'inventory', full)).toBe('duplicate');
      await hub.glpiForwarder.kick();
      expect(glpi.received).toHaveLength(1);
      clock.advance(60_000);
      const delta = encodePayload({
        v: 1,
        id: ids(),
        ts: clock.now().toISOString(),
        kind: 'delta',
        sections: { os: { ...OS, hash: 'b'.repeat(64), data: { ...OS.data, kernel: '6.8.0-50-generic' } } },
      });
      expect(await hub.ingest.ingest(pc, 'inventory', delta)).toBe('stored');
      await hub.glpiForwarder.kick();
      expect(glpi.received).toHaveLength(2);
      expect(JSON.stringify(glpi.received[1]?.document)).toContain('6.8.0-50-generic');
      expect(await hub.glpiForwarder.status()).toMatchObject({ configured: true, queueLength: 0 });
      // The test services' own forwarder has no URL: off, nothing queued.
      expect(await s.glpiForwarder.status()).toMatchObject({ configured: false, url: null, queueLength: 0 });
    } finally {
      await hub.glpiForwarder.stop();
      await hub.close();
    }
  });

  it('counts a 2xx with a GLPI error status as a failure', () => {
    expect(refusalOf(200, '{"status":"error","message":"Inventory is disabled"}')).toBe(
      'GLPI answered 200: Inventory is disabled',
    );
    expect(refusalOf(200, '{"status":"ok","expiration":24}')).toBeUndefined();
    expect(refusalOf(502, '<html>Bad gateway</html>')).toBe('GLPI answered 502');
  });

  it('reports a GLPI that cannot be reached', async () => {
    await glpi.stop();
    glpi = new FakeGlpi();
    url = 'http://127.0.0.1:9/front/inventory.php';
    await forwarder.stop();
    forwarder = newForwarder();
    forwarder.start();
    await forwarder.inventoryStored(device);
    await forwarder.kick();
    expect((await forwarder.status()).devices[0]?.lastError).toMatch(/^GLPI not reached: .*ECONNREFUSED/);
    await glpi.start();
  });
});
