import { type ConfigMessage, decodePayload, encodePayload, type ReportMessage } from '@bascule/protocol';
import { FakeComputerAccounts } from '../ad-join/computer-accounts.js';
import { DeviceLink } from '../broker/device-link.js';
import { IngestRepository } from '../broker/ingest.repository.js';
import { IngestService } from '../broker/ingest.service.js';
import { Logger } from '../core/logger.js';
import { FakeClock, testServices } from '../test-support.js';
import { createConfiguration } from './configuration.js';

/** Hub services plus a configuration whose broker is a recorder and whose AD is a fake. */
export async function configFixture() {
  const clock = new FakeClock();
  const s = await testServices(clock);
  const published: { topic: string; retain: boolean; message: ConfigMessage }[] = [];
  const link = new DeviceLink();
  link.attach({
    publish: async (topic, payload, _qos, options) => {
      published.push({ topic, retain: options?.retain === true, message: decodePayload(payload) as ConfigMessage });
    },
    isConnected: () => true,
  });
  const ad = new FakeComputerAccounts();
  const logger = new Logger((l) => s.lines.push(l), 'debug');
  const cfg = createConfiguration({
    db: s.database.db,
    devices: s.devices,
    deviceLink: link,
    audit: s.audit,
    computerAccounts: ad,
    agentPackages: s.agentPackages,
    ids: s.ids,
    clock,
    logger,
  });
  const ingest = new IngestService(
    new IngestRepository(s.database.db),
    clock,
    logger,
    s.metrics,
    undefined,
    cfg.reports,
  );
  let n = 0;

  /** A device row as enrolment would write it. */
  async function device(department = 'Finances', hostname?: string): Promise<string> {
    n++;
    const id = s.ids();
    await s.devices.insert({
      id,
      hostname: hostname ?? `pc-${String(n).padStart(3, '0')}`,
      department,
      secret_hash: 'x',
      machine_id: `m${n}`,
      dmi_uuid: `u${n}`,
      serial: `s${n}`,
      macs: '[]',
      enrolled_at: clock.now().toISOString(),
      token_id: null,
      clone_of: null,
      online: 1,
      last_seen_at: null,
      os: null,
      kernel: null,
      model: null,
      agent_version: null,
      last_heartbeat: null,
    });
    return id;
  }

  /** The last config published for a device. */
  function lastConfig(deviceId: string): ConfigMessage | undefined {
    return published.filter((p) => p.topic === `bascule/v1/d/${deviceId}/config`).at(-1)?.message;
  }

  /** The device answers its current config: every module with `status`, or per module. */
  async function report(
    deviceId: string,
    status: 'applied' | 'failed' | ((module: string) => 'applied' | 'failed'),
    error?: string,
  ): Promise<void> {
    const config = lastConfig(deviceId);
    if (!config) throw new Error(`no config published for ${deviceId}`);
    const modules: ReportMessage['modules'] = {};
    for (const [module, m] of Object.entries(config.modules)) {
      if (!m) continue;
      const st = typeof status === 'function' ? status(module) : status;
      modules[module as keyof typeof modules] = {
        policyId: m.policyId,
        policyRevision: m.policyRevision,
        status: st,
        ...(st === 'failed' ? { error: error ?? 'lpadmin: printer unreachable' } : {}),
        steps: [],
        at: clock.now().toISOString(),
      };
    }
    const msg = { v: 1, id: s.ids(), ts: clock.now().toISOString(), revision: config.revision, modules };
    const outcome = await ingest.ingest(deviceId, 'report', encodePayload(msg));
    if (outcome !== 'stored') throw new Error(`report ${outcome}: ${s.lines.slice(-3).join('\n')}`);
    await cfg.rollouts.idle();
  }

  return { s, clock, cfg, ad, published, ingest, device, lastConfig, report, close: () => s.close() };
}

export const printers = (name: string) => ({
  printers: [{ name, uri: `ipp://printer.local/ipp/${name}`, driver: { kind: 'everywhere' } }],
});
