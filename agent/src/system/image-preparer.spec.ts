import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeCommandRunner } from './fake-command-runner.js';
import { ImagePreparer } from './image-preparer.js';

function image(): string {
  const root = mkdtempSync(join(tmpdir(), 'bascule-image-'));
  mkdirSync(join(root, 'var/lib/bascule-agent/outbox'), { recursive: true });
  writeFileSync(join(root, 'var/lib/bascule-agent/identity.json'), '{"deviceId":"01J"}');
  writeFileSync(join(root, 'var/lib/bascule-agent/outbox/1.json'), '{}');
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc/machine-id'), '3d1219c7c4c5404aaa1f6d2a48adfda4\n');
  mkdirSync(join(root, 'var/lib/dbus'), { recursive: true });
  writeFileSync(join(root, 'var/lib/dbus/machine-id'), '3d1219c7c4c5404aaa1f6d2a48adfda4\n');
  return root;
}

describe('ImagePreparer', () => {
  it('forgets the identity and the machine-id, links the D-Bus id, leaves the site token 0600', async () => {
    const root = image();
    const token = join(root, 'site.token');
    writeFileSync(token, 'hub=https://hub:8443\ntoken=bt_x\nca-hash=sha256:00\n');
    const done = await new ImagePreparer(new FakeCommandRunner()).prepare({
      root,
      stateDir: 'var/lib/bascule-agent',
      tokenFile: token,
    });
    expect(done.join('\n')).toMatch(/emptied var\/lib\/bascule-agent \(2 entries/);
    expect(lstatSync(join(root, 'var/lib/bascule-agent/identity.json'), { throwIfNoEntry: false })).toBeUndefined();
    expect(readFileSync(join(root, 'etc/machine-id'), 'utf8')).toBe('');
    expect(readlinkSync(join(root, 'var/lib/dbus/machine-id'))).toBe('/etc/machine-id');
    expect(readFileSync(join(root, 'etc/bascule/enroll.token'), 'utf8')).toMatch(/^token=bt_x$/m);
    expect(lstatSync(join(root, 'etc/bascule/enroll.token')).mode & 0o777).toBe(0o600);
  });

  it('refuses a token file without hub, token and ca-hash, before changing anything', async () => {
    const root = image();
    writeFileSync(join(root, 'bad.token'), 'token=bt_x\n');
    await expect(
      new ImagePreparer(new FakeCommandRunner()).prepare({
        root,
        stateDir: 'var/lib/bascule-agent',
        tokenFile: join(root, 'bad.token'),
      }),
    ).rejects.toThrow(/needs hub=, ca-hash= lines/);
    expect(readFileSync(join(root, 'etc/machine-id'), 'utf8')).not.toBe('');
  });
});
