import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, adminClient, HUB_BIN, type HubProcess, runNode, startHub } from './support/index.js';

const VIEWER_PASSWORD = 'regarder sans toucher, merci';

describe('accounts: CLI, roles, password policy, throttling', () => {
  let hub: HubProcess;

  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(() => hub?.stop());

  it('requires the one-time admin password to be changed before anything else', async () => {
    const api = new ApiClient(hub.url);
    const login = await api.post<{ mustChangePassword: boolean }>('/api/v1/auth/login', {
      username: 'admin',
      password: hub.adminPassword,
    });
    expect(login.status).toBe(200);
    expect(login.body.mustChangePassword).toBe(true);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const devices = await api.get<{ code: string }>('/api/v1/devices');
    expect(devices.status).toBe(403);
    expect(devices.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const weak = await api.post<{ errors: Record<string, string> }>('/api/v1/auth/password', {
      currentPassword: hub.adminPassword,
      newPassword: 'azertyuiop123456',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.errors.newPassword).toMatch(/common/);
    const admin = await adminClient(hub); // changes it, from another session
    expect((await admin.get('/api/v1/devices')).status).toBe(200);
    expect((await api.get('/api/v1/devices')).status).toBe(401); // other sessions end with the old password
  });

  it('adds users from the CLI with --password-stdin, refusing weak passwords', async () => {
    const weak = await hub.addUser('bob', 'viewer', 'short');
    expect(weak.code).not.toBe(0);
    expect(weak.stderr).toMatch(/at least 15 characters/);
    const ok = await hub.addUser('martine', 'viewer', VIEWER_PASSWORD);
    expect(ok.code).toBe(0);
    const bad = await runNode(
      [HUB_BIN, 'user', 'add', 'x', '--role', 'superuser', '--data', hub.dataDir, '--password-stdin'],
      {
        input: VIEWER_PASSWORD,
      },
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--role must be one of admin, helpdesk, viewer/);
  });

  it('lets a viewer read devices but not manage users', async () => {
    const viewer = new ApiClient(hub.url);
    expect((await viewer.post('/api/v1/auth/login', { username: 'martine', password: VIEWER_PASSWORD })).status).toBe(
      200,
    );
    expect((await viewer.get('/api/v1/devices')).status).toBe(200);
    expect((await viewer.get('/api/v1/users')).status).toBe(403);
    const admin = await adminClient(hub);
    const users = await admin.get<{ username: string; role: string }[]>('/api/v1/users?sort=["username","ASC"]');
    expect(users.headers['content-range']).toBe('users 0-1/2');
    expect(users.body.map((u) => [u.username, u.role])).toEqual([
      ['admin', 'admin'],
      ['martine', 'viewer'],
    ]);
    expect(JSON.stringify(users.body)).not.toMatch(/hash|scrypt/);
    expect((await viewer.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await viewer.get('/api/v1/devices')).status).toBe(401);
  });

  it('throttles repeated failed logins with 429 and Retry-After', async () => {
    const api = new ApiClient(hub.url);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push(
        (await api.post('/api/v1/auth/login', { username: 'martine', password: `wrong guess ${i}` })).status,
      );
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await api.post<{ message: string }>('/api/v1/auth/login', {
      username: 'martine',
      password: VIEWER_PASSWORD,
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.message).toMatch(/too many failed attempts/);
  });
});
