import { createIdGenerator, encodePayload } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../http/http-errors.js';
import { testServices } from '../test-support.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const ids = createIdGenerator();
const page = { sort: 'hostname' as const, order: 'asc' as const, offset: 0, limit: 100, filter: {} };
const csv = (...lines: string[]) => Buffer.from(`${lines.join('\n')}\n`, 'utf8');

describe('registry matching and lifecycle', () => {
  let s: Services;
  beforeEach(async () => {
    s = await testServices();
    const job = await s.registry.imports.preview({
      bytes: csv(
        'hostname;serial;mac;department',
        'pc-compta-1;SN-C1;aa:00:00:00:00:01;Finances',
        'pc-compta-2;SN-C2;aa:00:00:00:00:02;Finances',
        'pc-rh-1;;aa:00:00:00:00:03;RH',
        'pc-rh-2;;aa:00:00:00:00:04;RH',
        'pc-twin;;;RH',
        'pc-twin;;;Finances',
      ),
      filename: 'parc.csv',
      actor: 'agnes',
    });
    await s.registry.imports.confirm(job.id, { skipInvalid: false, actor: 'agnes' });
    await s.registry.imports.idle();
  });
  afterEach(() => s.close());

  const enrol = async (hostname: string, serial: string, macs: string[]) => {
    const { token } = await s.enrolment.createToken({
      department: 'Finances',
      uses: 1,
      expiresInMs: 60_000,
      createdBy: 'spec',
    });
    const r = await s.enrolment.enroll(
      { token, identity: { hostname, machineId: `m-${hostname}-${serial}`, dmiUuid: `u-${hostname}`, serial, macs } },
      { ip: '127.0.0.1', caCertPem: 'CA', mqttUrls: ['mqtts://x:8883'] },
    );
    return r.deviceId;
  };
  const machine = async (hostname: string) => {
    const { rows } = await s.registry.lifecycle.list({ ...page, filter: { q: hostname } });
    return rows.filter((m) => m.hostname === hostname);
  };
  /** The agent comes online and sends its inventory, through ingest as over MQTT. */
  const goOnline = async (deviceId: string) => {
    await s.ingest.ingest(
      deviceId,
      'status',
      encodePayload({ v: 1, id: ids(), ts: new Date().toISOString(), state: 'online' }),
    );
    const os = { platform: 'linux', distro: 'Zorin OS', release: '17.3', kernel: '6.8.0', arch: 'x64', hostname: 'pc' };
    const msg = {
      v: 1,
      id: ids(),
      ts: new Date().toISOString(),
      kind: 'full',
      sections: { os: { hash: 'a'.repeat(64), data: os } },
    };
    expect(await s.ingest.ingest(deviceId, 'inventory', encodePayload(msg))).toBe('stored');
  };

  it('links by serial first, even when the hostname points elsewhere, and migrates once the agent is healthy', async () => {
    const deviceId = await enrol('pc-rh-1', 'sn-c1', []);
    const [c1] = await machine('pc-compta-1');
    expect(c1).toMatchObject({ deviceId, status: 'windows' }); // enrolled, not yet online
    await goOnline(deviceId);
    expect((await machine('pc-compta-1'))[0]).toMatchObject({ deviceId, status: 'migrated' });
    expect((await machine('pc-rh-1'))[0]?.deviceId).toBeNull();
  });

  it('links by MAC when the serial is unknown, then by hostname', async () => {
    const byMac = await enrol('autre-nom', 'SN-INCONNU', ['AA:00:00:00:00:03']);
    expect((await machine('pc-rh-1'))[0]?.deviceId).toBe(byMac);
    const byName = await enrol('PC-RH-2', 'To be filled by O.E.M.', []);
    expect((await machine('pc-rh-2'))[0]?.deviceId).toBe(byName);
  });

  it('never merges an ambiguous match: two candidates, or one already linked, go to the review list', async () => {
    const twin = await enrol('pc-twin', 'SN-X', []);
    const first = await enrol('pc-compta-2', 'SN-C2', []);
    const second = await enrol('pc-compta-2-bis', 'SN-C2', []); // the same serial again: a reinstall?
    expect((await machine('pc-twin')).map((m) => m.deviceId)).toEqual([null, null]);
    expect((await machine('pc-compta-2'))[0]?.deviceId).toBe(first);
    const { rows, total } = await s.registry.lifecycle.reviews({
      states: ['open'],
      offset: 0,
      limit: 10,
      order: 'asc',
    });
    expect(total).toBe(2);
    expect(rows.map((r) => [r.deviceId, r.level, r.candidates.length])).toEqual([
      [twin, 'hostname', 2],
      [second, 'serial', 1],
    ]);
    // Another inventory does not open a second item for the same device.
    await goOnline(twin);
    expect((await s.registry.lifecycle.reviews({ offset: 0, limit: 10, order: 'asc' })).total).toBe(2);

    // A person links the twin to the RH one: linked, and migrated at once since the agent is healthy.
    const item = rows[0];
    const rh = item?.candidates.find((c) => c.department === 'RH');
    if (!item || !rh) throw new Error('no candidate');
    const done = await s.registry.lifecycle.resolveReview(item.id, { action: 'link', machineId: rh.id }, 'bruno');
    expect(done).toMatchObject({ state: 'linked', resolvedBy: 'bruno', machineId: rh.id });
    expect(await s.registry.lifecycle.get(rh.id)).toMatchObject({ deviceId: twin, status: 'migrated' });
    // The other is kept apart: matching leaves the device alone from then on.
    const other = rows[1];
    if (!other) throw new Error('no item');
    await s.registry.lifecycle.resolveReview(other.id, { action: 'keep-apart' }, 'bruno');
    expect(await s.registry.matcher.deviceChanged(second)).toEqual({ kind: 'left-alone' });
    await expect(s.registry.lifecycle.resolveReview(other.id, { action: 'keep-apart' }, 'bruno')).rejects.toThrow(
      /already kept-apart/,
    );
  });

  it('applies the status rules and audits each change with before and after', async () => {
    const [m] = await machine('pc-compta-1');
    if (!m) throw new Error('no machine');
    const lc = s.registry.lifecycle;
    await expect(lc.changeStatus(m.id, { status: 'exception' }, 'agnes')).rejects.toThrow(/needs a reason/);
    await expect(lc.changeStatus(m.id, { status: 'rolled-back' }, 'agnes')).rejects.toThrow(/needs its reason/);
    await expect(lc.changeStatus(m.id, { status: 'migrated' }, 'agnes')).rejects.toThrow(ApiError);
    const ex = await lc.changeStatus(
      m.id,
      { status: 'exception', exceptionReason: 'business-software', workaround: 'Ciril Finances par RDP (Remmina)' },
      'agnes',
    );
    expect(ex).toMatchObject({
      status: 'exception',
      exceptionReason: 'business-software',
      exceptionWorkaround: 'Ciril Finances par RDP (Remmina)',
    });
    const back = await lc.changeStatus(m.id, { status: 'candidate' }, 'agnes');
    expect(back).toMatchObject({ status: 'candidate', exceptionReason: null, exceptionWorkaround: null });
    const audit = await s.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'registry.machine.status')
      .orderBy('id')
      .execute();
    expect(
      audit.map((a) => [
        a.actor,
        JSON.parse(a.detail ?? '{}').before.status,
        JSON.parse(a.detail ?? '{}').after.status,
      ]),
    ).toEqual([
      ['agnes', 'windows', 'exception'],
      ['agnes', 'exception', 'candidate'],
    ]);
    // An exception stays an exception when its agent shows up healthy: nobody is migrated by surprise.
    await lc.changeStatus(m.id, { status: 'exception', exceptionReason: 'user-declined' }, 'agnes');
    await goOnline(await enrol('pc-compta-1', 'SN-C1', []));
    expect((await lc.get(m.id)).status).toBe('exception');
  });
});
