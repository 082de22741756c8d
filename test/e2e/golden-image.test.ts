import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgentDeb } from '../../packaging/build-agent-deb.mjs';
import { createChroot, missingTools, runInChroot } from '../../packaging/scripts/debian-chroot.mjs';
import { unitExecStart } from '../../packaging/scripts/unit-exec.mjs';
import {
  AGENT_BIN,
  type ApiClient,
  adminClient,
  type HubProcess,
  runNode,
  startHub,
  tempDir,
} from './support/index.js';

/*
 * Golden images, end to end: the agent package installed in a Debian 12 chroot (the "image"), copied
 * to two "machines" (two more chroots), each booted for the first time by running what
 * bascule-agent-enroll.service runs, with its own hardware (a DMI serial and UUID in a tmpfs mounted
 * over the machine's /sys for that command only). Prepared with `bascule-agent prepare-image` (here
 * through --root, as on a mounted image), the copies get their own machine-id at first boot (what
 * systemd does with an empty /etc/machine-id) and become two devices; not prepared, they share the
 * image's machine-id and the hub flags the second as a clone of the first, enrolled apart, never merged.
 */

const missing = [...missingTools(), ...(process.getuid?.() === 0 ? [] : ['root (chroot, unshare -m)'])];
if (missing.length > 0) {
  const message = `golden image test needs: ${missing.join(', ')} (apt-get install ${missing.join(' ')})`;
  if (process.env.CI) throw new Error(message);
  console.warn(`\n*** SKIPPED: ${message} ***\n`);
}

interface Device {
  id: string;
  department: string;
  cloneOf: string | null;
}

/** Runs argv in `root` as a machine with this DMI serial and UUID; {code, stdout, stderr}. */
function onMachine(root: string, hw: { serial: string; uuid: string }, argv: string[]) {
  const setup = [
    'mount -t proc proc "$0/proc"',
    'mount --rbind /dev "$0/dev"',
    'mount -t tmpfs tmpfs "$0/sys"',
    'mkdir -p "$0/sys/class/dmi/id"',
    `printf %s ${hw.serial} > "$0/sys/class/dmi/id/product_serial"`,
    `printf %s ${hw.uuid} > "$0/sys/class/dmi/id/product_uuid"`,
    'exec chroot "$0" "$@"',
  ].join(' && ');
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', setup, root, ...argv], {
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(missing.length > 0)('golden image: prepare-image and the first-boot enrolment', () => {
  let hub: HubProcess;
  let api: ApiClient;
  let image: ReturnType<typeof createChroot>;
  const machines: string[] = [];
  const siteToken = join(tempDir('site'), 'site.token');

  const exists = (path: string) => lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  /** A copy of the image (cp -a), as FOG or Clonezilla would restore it on a machine. */
  const copyImage = () => {
    const root = tempDir('machine');
    execFileSync('cp', ['-a', `${image.root}/.`, root]);
    machines.push(root);
    return root;
  };
  /** The first boot: what bascule-agent-enroll.service runs, if its conditions hold. */
  const firstBoot = async (root: string, n: number) => {
    const unit = readFileSync(join(root, 'lib/systemd/system/bascule-agent-enroll.service'), 'utf8');
    expect(unit).toMatch(/^ConditionPathExists=\/etc\/bascule\/enroll\.token$/m);
    expect(exists(join(root, 'etc/bascule/enroll.token'))).toBe(true);
    expect(exists(join(root, 'var/lib/bascule-agent/identity.json'))).toBe(false);
    const { argv } = unitExecStart(unit);
    const r = await onMachine(root, { serial: `SER-${n}`, uuid: `uuid-000${n}` }, argv);
    expect(r.code, r.stderr).toBe(0);
    expect(exists(join(root, 'etc/bascule/enroll.token'))).toBe(false);
    const deviceId = JSON.parse(readFileSync(join(root, 'var/lib/bascule-agent/identity.json'), 'utf8'))
      .deviceId as string;
    return (await api.get<Device>(`/api/v1/devices/${deviceId}`)).body;
  };

  beforeAll(async () => {
    const deb =
      process.env.BASCULE_TEST_AGENT_DEB ??
      (await buildAgentDeb({ outDir: tempDir('image-deb'), version: '0.1.0', compression: 'gzip' })).deb;
    hub = await startHub();
    api = await adminClient(hub);
    const t = await hub.createToken('Images', { uses: 10, expires: '30d' });
    writeFileSync(siteToken, `hub=${t.hubUrl}\ntoken=${t.token}\nca-hash=${t.caHash}\n`, { mode: 0o600 });

    // The reference machine: the package installed (no token yet: nothing enrols), a machine-id.
    image = createChroot();
    copyFileSync(deb, join(image.root, 'tmp/bascule-agent.deb'));
    const r = await runInChroot(image.root, ['dpkg', '-i', '/tmp/bascule-agent.deb']);
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(join(image.root, 'etc/machine-id'), `${randomBytes(16).toString('hex')}\n`);
    mkdirSync(join(image.root, 'var/lib/dbus'), { recursive: true });
    copyFileSync(join(image.root, 'etc/machine-id'), join(image.root, 'var/lib/dbus/machine-id'));
    // The first-boot unit is enabled by the package.
    expect(exists(join(image.root, 'etc/systemd/system/multi-user.target.wants/bascule-agent-enroll.service'))).toBe(
      true,
    );
  }, 300_000);
  afterAll(async () => {
    await hub?.stop();
    image?.remove();
    for (const m of machines) execFileSync('rm', ['-rf', m]);
  });

  it('without prepare-image: the second copy shares the machine-id and is flagged as a clone', async () => {
    // IT left the site token in the image but did not prepare it.
    copyFileSync(siteToken, join(image.root, 'etc/bascule/enroll.token'));
    const [a, b] = [copyImage(), copyImage()];
    const first = await firstBoot(a as string, 1);
    const second = await firstBoot(b as string, 2);
    expect(second.id).not.toBe(first.id);
    expect(first.cloneOf).toBeNull();
    expect(second.cloneOf).toBe(first.id);
    expect(second.department).toBe('Images');
  });

  it('with prepare-image: each copy gets its own machine-id at first boot and is a device of its own', async () => {
    const r = await runNode([AGENT_BIN, 'prepare-image', '--root', image.root, '--token-file', siteToken, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/emptied \/etc\/machine-id/);
    expect(readFileSync(join(image.root, 'etc/machine-id'), 'utf8')).toBe('');
    expect(execFileSync('readlink', [join(image.root, 'var/lib/dbus/machine-id')], { encoding: 'utf8' }).trim()).toBe(
      '/etc/machine-id',
    );
    const booted = [];
    for (const n of [3, 4]) {
      const root = copyImage();
      // systemd's first boot: an empty /etc/machine-id gets a new random id.
      writeFileSync(join(root, 'etc/machine-id'), `${randomBytes(16).toString('hex')}\n`);
      booted.push(await firstBoot(root, n));
    }
    expect(booted[0]?.id).not.toBe(booted[1]?.id);
    expect(booted.map((d) => d.cloneOf)).toEqual([null, null]);
  });

  it('prepare-image refuses to run without --yes', async () => {
    const r = await runNode([AGENT_BIN, 'prepare-image', '--root', image.root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/deletes the device identity .* with --yes/);
  });
});
