import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFixture } from '../config-publisher/config-test-support.js';
import { Logger } from '../core/logger.js';
import type { ApiError } from '../http/http-errors.js';
import { DeviceMeteredService, parseDevicePatch } from './device-metered.service.js';

type Fixture = Awaited<ReturnType<typeof configFixture>>;

function refusal(fn: () => unknown): { status: number; message: string } {
  try {
    fn();
  } catch (e) {
    const err = e as ApiError;
    return { status: err.getStatus(), message: (err.getResponse() as { message: string }).message };
  }
  throw new Error('expected a refusal');
}

describe('PATCH devices/{id} (metered mode set on the hub)', () => {
  let f: Fixture;
  let service: DeviceMeteredService;
  beforeEach(async () => {
    f = await configFixture();
    service = new DeviceMeteredService(
      f.s.devices,
      f.s.deviceService,
      f.cfg.configs,
      f.s.audit,
      f.clock,
      new Logger(() => {}, 'error'),
    );
  });
  afterEach(() => f.close());

  it('reaches the agent in the agent section of a new config revision; auto leaves the section empty', async () => {
    const id = await f.device();
    await f.cfg.configs.recompute();
    const first = f.lastConfig(id);
    expect(first?.agent).toEqual({});

    const view = await service.patch(id, { metered: 'on' }, 'helpdesk1');
    expect(view.metered).toBe('on');
    expect((await f.s.deviceService.get(id)).metered).toBe('on');
    const on = f.lastConfig(id);
    expect(on?.agent).toEqual({ metered: 'on' });
    expect(on?.revision).toBe((first?.revision ?? 0) + 1);

    await service.patch(id, { metered: 'off' }, 'helpdesk1');
    expect(f.lastConfig(id)?.agent).toEqual({ metered: 'off' });

    await service.patch(id, { metered: 'auto' }, 'helpdesk1');
    const auto = f.lastConfig(id);
    expect(auto?.agent).toEqual({});
    expect(auto?.revision).toBe((first?.revision ?? 0) + 3);
  });

  it('audits a change with who, from and to; the same value again changes nothing', async () => {
    const id = await f.device();
    await f.cfg.configs.recompute();
    await service.patch(id, { metered: 'on' }, 'alice');
    const published = f.published.length;
    await service.patch(id, { metered: 'on' }, 'alice');
    expect(f.published.length).toBe(published);
    const rows = await f.s.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'device.metered')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual(expect.objectContaining({ actor: 'alice', target: id }));
    expect(JSON.parse(String(rows[0]?.detail))).toEqual({ from: 'auto', to: 'on' });
  });

  it('refuses other values and fields with a message that says what is accepted', async () => {
    expect(refusal(() => parseDevicePatch({ metered: 'yes' }))).toEqual({
      status: 400,
      message: 'metered must be "auto" (the agent detects a mobile modem), "on" or "off", got "yes"',
    });
    expect(refusal(() => parseDevicePatch({ hostname: 'x' })).message).toBe(
      '"hostname" cannot be changed here: only "metered" can',
    );
    expect(refusal(() => parseDevicePatch([])).status).toBe(400);
    expect(refusal(() => parseDevicePatch({})).message).toMatch(/got null$/);
  });

  it('answers 404 for an unknown device', async () => {
    const err = (await service.patch('nope', { metered: 'on' }, 'alice').catch((e: unknown) => e)) as ApiError;
    expect(err.getStatus()).toBe(404);
  });
});
