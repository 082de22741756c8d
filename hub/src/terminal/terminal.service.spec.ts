import fs from 'node:fs';
import path from 'node:path';
import {
  createIdGenerator,
  decodePayload,
  decodeTerminalFrame,
  encodePayload,
  encodeTerminalFrame,
  parseDeviceTopic,
  parseTerminalKind,
  type RpcRequest,
  TERMINAL_FRAME,
  type TerminalClose,
  type TerminalFrame,
  type TerminalOpenParams,
} from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DevicePublisher } from '../broker/device-link.js';
import { enrolTestDevice, FakeClock, testServices } from '../test-support.js';
import { type TerminalClient, TerminalOpenError, type TerminalRequest } from './terminal.types.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const ids = createIdGenerator();

/** Plays the device: answers `terminal.open` as told and collects the frames sent to it. */
class FakeDevice implements DevicePublisher {
  connected = new Set<string>();
  answer: { ok: true } | { ok: false; code: string; message: string } = { ok: true };
  framesIn: { sid: string; frame: TerminalFrame }[] = [];
  opened: TerminalOpenParams[] = [];
  private seq = new Map<string, number>();

  constructor(private readonly s: Services) {}

  isConnected(deviceId: string) {
    return this.connected.has(deviceId);
  }

  async publish(topic: string, payload: Buffer): Promise<void> {
    const t = parseDeviceTopic(topic);
    if (!t) throw new Error(`bad topic ${topic}`);
    const term = parseTerminalKind(t.kind);
    if (term) {
      this.framesIn.push({ sid: term.sid, frame: decodeTerminalFrame(payload) });
      return;
    }
    const req = decodePayload(payload) as RpcRequest;
    this.opened.push(req.params as TerminalOpenParams);
    const res = this.answer.ok
      ? { reqId: req.id, ok: true }
      : { reqId: req.id, ok: false, error: { code: this.answer.code, message: this.answer.message } };
    setImmediate(() =>
      this.s.rpc.onResponse(t.deviceId, encodePayload({ v: 1, id: ids(), ts: new Date().toISOString(), ...res })),
    );
  }

  /** A frame from the device on `term/{sid}/out`; seq numbered automatically unless given. */
  send(deviceId: string, sid: string, frame: Omit<TerminalFrame, 'seq'> & { seq?: number }) {
    const seq = frame.seq ?? (this.seq.get(sid) ?? 0) + 1;
    this.seq.set(sid, Math.max(seq, this.seq.get(sid) ?? 0));
    this.s.terminals.onFrame(deviceId, sid, encodeTerminalFrame({ ...frame, seq } as TerminalFrame));
  }
}

/** A helpdesk client that takes output at once, or holds it (`manual`) to test flow control. */
class RecordingClient implements TerminalClient {
  out: string[] = [];
  pending: (() => void)[] = [];
  exits: [number | null, string | null][] = [];
  closes: TerminalClose[] = [];
  constructor(private readonly manual = false) {}
  output(stream: 'stdout' | 'stderr', data: Buffer, consumed: () => void) {
    this.out.push(`${stream}:${data.toString()}`);
    if (this.manual) this.pending.push(consumed);
    else consumed();
  }
  exit(code: number | null, signal: string | null) {
    this.exits.push([code, signal]);
  }
  closed(close: TerminalClose) {
    this.closes.push(close);
  }
}

const tick = () => new Promise((r) => setImmediate(r));

describe('TerminalService', () => {
  let s: Services;
  let device: FakeDevice;
  let deviceId: string;
  const alice = { id: 'u-alice', username: 'alice', role: 'helpdesk' as const };
  const request = (over: Partial<TerminalRequest> = {}): TerminalRequest => ({
    user: alice,
    deviceRef: 'PC-Compta-12',
    via: 'ssh',
    mode: 'shell',
    pty: true,
    as: 'root',
    size: { cols: 80, rows: 24 },
    ...over,
  });

  beforeEach(async () => {
    s = await testServices(new FakeClock());
    device = new FakeDevice(s);
    s.deviceLink.attach(device);
    deviceId = await enrolTestDevice(
      s,
      { hostname: 'pc-compta-12', machineId: 'm1', dmiUuid: 'u1', serial: 's1' },
      'Finances',
    );
    device.connected.add(deviceId);
    await addAlice(s);
  });

  /** The terminal asks the department scope of the account, by its id: alice must exist. */
  const addAlice = (services: Services) =>
    services.database.db
      .insertInto('users')
      .values({
        id: alice.id,
        username: alice.username,
        role: alice.role,
        password_hash: '!',
        must_change_password: 0,
        created_at: '2026-11-25T10:00:00.000Z',
        password_changed_at: null,
        last_login_at: null,
      })
      .execute();

  afterEach(async () => {
    s.terminals.stop();
    await s.close();
  });

  it('refuses the viewer role, an unknown device, an offline one and an ambiguous name, and audits it', async () => {
    const client = new RecordingClient();
    await expect(s.terminals.open(request({ user: { ...alice, role: 'viewer' } }), client)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(s.terminals.open(request({ deviceRef: 'pc-inconnu' }), client)).rejects.toMatchObject({
      code: 'unknown-device',
    });
    device.connected.clear();
    await expect(s.terminals.open(request(), client)).rejects.toMatchObject({ code: 'device-offline' });
    const twin = await enrolTestDevice(
      s,
      { hostname: 'pc-compta-12', machineId: 'm2', dmiUuid: 'u2', serial: 's2' },
      'RH',
    );
    const err = await s.terminals.open(request(), client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerminalOpenError);
    expect(err).toMatchObject({ code: 'ambiguous-device' });
    expect((err as TerminalOpenError).details.candidates).toContain(twin);
    expect(device.opened).toHaveLength(0);
    const audit = await s.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'terminal.refused')
      .execute();
    expect(audit.map((a) => JSON.parse(a.detail ?? '{}').reason)).toEqual([
      'forbidden',
      'unknown-device',
      'device-offline',
      'ambiguous-device',
    ]);
  });

  it('refuses an account limited to other departments as if the device were unknown', async () => {
    const client = new RecordingClient();
    await s.database.db.updateTable('users').set({ departments: '["RH"]' }).where('id', '=', alice.id).execute();
    await expect(s.terminals.open(request(), client)).rejects.toMatchObject({ code: 'unknown-device' });
    await s.database.db.updateTable('users').set({ departments: '["finances"]' }).where('id', '=', alice.id).execute();
    const handle = await s.terminals.open(request(), client);
    expect(device.opened).toHaveLength(1);
    handle.close();
  });

  it('relays output, acknowledges what the client took, records it and closes on exit', async () => {
    const client = new RecordingClient();
    const handle = await s.terminals.open(request({ deviceRef: deviceId.toLowerCase() }), client);
    expect(device.opened[0]).toMatchObject({ sid: handle.id, mode: 'shell', pty: true, as: 'root' });
    expect(device.opened[0]?.requester).toEqual({ username: 'alice', via: 'ssh' });

    handle.input(Buffer.from('ls\r'));
    handle.resize(100, 40);
    device.send(deviceId, handle.id, { type: TERMINAL_FRAME.data, data: Buffer.from('bonjour é') });
    device.send(deviceId, handle.id, { type: TERMINAL_FRAME.stderr, data: Buffer.from('oops') });
    await tick();
    expect(client.out).toEqual(['stdout:bonjour é', 'stderr:oops']);
    const acks = device.framesIn.filter((f) => f.frame.type === TERMINAL_FRAME.ack);
    expect(acks.at(-1)?.frame).toMatchObject({ consumed: Buffer.byteLength('bonjour é') + 4 });
    expect(device.framesIn.map((f) => f.frame.type)).toEqual([
      TERMINAL_FRAME.data,
      TERMINAL_FRAME.resize,
      TERMINAL_FRAME.ack,
    ]);
    expect(device.framesIn.map((f) => f.frame.seq)).toEqual([1, 2, 3]);

    device.send(deviceId, handle.id, { type: TERMINAL_FRAME.exit, code: 3, signal: null });
    device.send(deviceId, handle.id, { type: TERMINAL_FRAME.close, close: { code: 'exit', message: 'exited' } });
    await tick();
    expect(client.exits).toEqual([[3, null]]);
    expect(client.closes).toEqual([{ code: 'exit', message: 'exited' }]);
    expect(s.terminals.activeSessions).toBe(0);
    await tick();
    const row = await s.terminalSessions.findById(handle.id);
    expect(row).toMatchObject({ exit_code: 3, end_reason: 'exit', bytes_in: 3, via: 'ssh', username: 'alice' });
    expect(row?.bytes_out).toBe(Buffer.byteLength('bonjour é') + 4);
    const cast = fs
      .readFileSync(path.join(s.dir, 'recordings', row?.recording ?? ''), 'utf8')
      .trim()
      .split('\n');
    expect(JSON.parse(cast[0] ?? '')).toMatchObject({ version: 2, width: 80, height: 24 });
    expect(cast.slice(1).map((l) => (JSON.parse(l) as unknown[]).slice(1))).toEqual([
      ['r', '100x40'],
      ['o', 'bonjour é'],
      ['o', 'oops'],
    ]);
  });

  it('holds acknowledgements while the client has not taken the output (flow control)', async () => {
    const client = new RecordingClient(true);
    const handle = await s.terminals.open(request(), client);
    for (let i = 0; i < 3; i++)
      device.send(deviceId, handle.id, { type: TERMINAL_FRAME.data, data: Buffer.alloc(1000) });
    await tick();
    expect(device.framesIn.filter((f) => f.frame.type === TERMINAL_FRAME.ack)).toHaveLength(0);
    client.pending.shift()?.();
    client.pending.shift()?.();
    await tick();
    expect(device.framesIn.filter((f) => f.frame.type === TERMINAL_FRAME.ack).map((f) => f.frame)).toMatchObject([
      { consumed: 2000 },
    ]);
  });

  it('puts early frames back in order, drops duplicates and ends the session on a lost frame', async () => {
    const client = new RecordingClient();
    const handle = await s.terminals.open(request(), client);
    const data = (seq: number, text: string) =>
      device.send(deviceId, handle.id, { seq, type: TERMINAL_FRAME.data, data: Buffer.from(text) });
    data(2, 'b');
    data(1, 'a');
    data(1, 'a');
    data(3, 'c');
    expect(client.out).toEqual(['stdout:a', 'stdout:b', 'stdout:c']);
    data(200, 'far ahead');
    expect(client.closes[0]?.code).toBe('stream-broken');
    expect(device.framesIn.at(-1)?.frame).toMatchObject({
      type: TERMINAL_FRAME.close,
      close: { code: 'stream-broken' },
    });
  });

  it("drops frames naming another device's session, and ends a session on garbage", async () => {
    const client = new RecordingClient();
    const handle = await s.terminals.open(request(), client);
    const intruder = ids();
    s.terminals.onFrame(
      intruder,
      handle.id,
      encodeTerminalFrame({ type: TERMINAL_FRAME.data, seq: 1, data: Buffer.from('x') }),
    );
    s.terminals.onFrame(deviceId, ids(), Buffer.from('not a frame'));
    expect(client.out).toEqual([]);
    expect(client.closes).toEqual([]);
    s.terminals.onFrame(deviceId, handle.id, Buffer.from([99, 0, 0, 0, 1]));
    expect(client.closes[0]?.code).toBe('protocol-error');
    expect(s.terminals.activeSessions).toBe(0);
  });

  it('closes the sessions of a device that disconnects, and refuses what the agent refuses', async () => {
    const client = new RecordingClient();
    await s.terminals.open(request(), client);
    s.terminals.onDeviceDisconnected(deviceId);
    expect(client.closes[0]?.code).toBe('device-offline');

    device.answer = { ok: false, code: 'consent-refused', message: 'the desktop user refused' };
    await expect(s.terminals.open(request(), new RecordingClient())).rejects.toMatchObject({ code: 'consent-refused' });
    const rows = await s.terminalSessions.list({ filter: {}, sort: 'startedAt', order: 'asc', offset: 0, limit: 10 });
    expect(rows.rows.map((r) => r.end_reason)).toEqual(['device-offline', 'refused:consent-refused']);
  });

  it('deletes recordings past the retention period', async () => {
    const clock = new FakeClock();
    await s.close();
    s = await testServices(clock);
    await addAlice(s);
    device = new FakeDevice(s);
    s.deviceLink.attach(device);
    device.connected.add(
      await enrolTestDevice(s, { hostname: 'pc-compta-12', machineId: 'm1', dmiUuid: 'u1', serial: 's1' }, 'F'),
    );
    const handle = await s.terminals.open(request(), new RecordingClient());
    handle.close('client-closed', 'bye');
    await tick();
    const file = path.join(s.dir, 'recordings', `${handle.id}.cast`);
    expect(fs.existsSync(file)).toBe(true);
    clock.advance(89 * 86_400_000);
    expect(await s.terminals.purgeRecordings()).toBe(0);
    clock.advance(2 * 86_400_000);
    expect(await s.terminals.purgeRecordings()).toBe(1);
    expect(fs.existsSync(file)).toBe(false);
    expect((await s.terminalSessions.findById(handle.id))?.recording).toBeNull();
  });
});
