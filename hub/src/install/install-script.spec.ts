import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCa } from '../pki/certificate-authority.js';
import { installCommand, renderInstallScript, renderRefusalScript, shQuote } from './install-script.js';

const ca = await createCa('spec CA', new Date());
const caHash = `sha256:${createHash('sha256').update(new X509Certificate(ca.certPem).raw).digest('hex')}`;
const input = {
  hubUrl: 'https://hub.ville.fr:8443',
  token: 'bt_0123456789abcdefghijKLMNOP_-xyz',
  department: "Ressources humaines d'Évry $(reboot) `id`",
  caCertPem: ca.certPem,
  caHash,
  package: { fileName: 'bascule-agent_0.1.0_amd64.deb', sha256: 'a'.repeat(64), bytes: 123, version: '0.1.0' },
};

const sh = (args: string[], opts: { input?: string } = {}) =>
  spawnSync('sh', args, { encoding: 'utf8', input: opts.input, timeout: 20_000 });

function tempScript(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-install-spec-'));
  const file = path.join(dir, 'install.sh');
  fs.writeFileSync(file, text);
  return file;
}

describe('install script', () => {
  it('is valid POSIX sh (sh -n) and carries the CA, its hash, the package hash and the token', () => {
    const text = renderInstallScript(input);
    const r = sh(['-n', tempScript(text)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(text).toContain(ca.certPem.trim());
    expect(text).toContain(`CA_HASH='${caHash}'`);
    expect(text).toContain(`PKG_SHA256='${'a'.repeat(64)}'`);
    expect(text).toContain(`token=${input.token}`);
    // Every download is pinned to the CA, never -k.
    expect(text).toMatch(/curl -fsS --proto '=https' --cacert "\$work\/ca\.pem"/);
    expect(text).not.toMatch(/curl[^\n]* -k/);
  });

  it('keeps the department a plain string whatever it holds', () => {
    const text = renderInstallScript(input);
    const line = text.split('\n').find((l) => l.startsWith('DEPARTMENT='));
    const r = sh(['-c', `${line}\nprintf '%s' "$DEPARTMENT"`]);
    expect(r.stdout).toBe(input.department);
  });

  it('refuses to embed values that could carry shell code', () => {
    expect(() => renderInstallScript({ ...input, hubUrl: 'https://x$(id):8443' })).toThrow(/hub URL/);
    expect(() => renderInstallScript({ ...input, token: "bt_abc'; rm -rf /; '0000000000" })).toThrow(/token/);
    expect(() => renderInstallScript({ ...input, caCertPem: `${ca.certPem}\nBASCULE_CA_END\nid\n` })).toThrow(/CA/);
  });

  it('checks its own CA against its hash before any download (run here with a wrong hash)', () => {
    if (process.getuid?.() !== 0 || fs.existsSync('/var/lib/bascule-agent/identity.json')) return;
    const wrong = `sha256:${'0'.repeat(64)}`;
    const text = renderInstallScript({ ...input, hubUrl: 'https://127.0.0.1:1', caHash: wrong });
    const r = sh([tempScript(text)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/does not match sha256:0{64}: the script is damaged, refusing/);
    expect(r.stderr).not.toMatch(/downloading/);
  });

  it('the refusal script says why and exits 1', () => {
    const r = sh([tempScript(renderRefusalScript("the enrolment token expired at 2026-01-01 'quoted'"))]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot install: the enrolment token expired at 2026-01-01 'quoted'/);
  });

  it('the install command checks the CA hash before fetching the script with that CA', () => {
    const cmd = installCommand(input.hubUrl, input.token, caHash);
    expect(sh(['-n', '-c', cmd]).status).toBe(0);
    expect(cmd).toContain(caHash.slice(7));
    expect(cmd.indexOf('sha256sum')).toBeLessThan(cmd.indexOf(`/install/${input.token}`));
    expect(cmd).toMatch(
      /curl -fsSL --cacert "\$d\/ca\.pem" -o "\$d\/install\.sh" https:\/\/hub\.ville\.fr:8443\/install\/bt_/,
    );
    // The hash check accepts the real CA file and nothing else.
    const dir = path.dirname(tempScript(''));
    fs.writeFileSync(path.join(dir, 'ca.pem'), ca.certPem);
    const check = cmd.split(' && ')[2] as string;
    expect(sh(['-c', `d=${dir}\n${check}`]).status).toBe(0);
    fs.writeFileSync(
      path.join(dir, 'ca.pem'),
      ca.certPem.replace(/\n(.)/, (_m, c: string) => `\n${c === 'A' ? 'B' : 'A'}`),
    );
    const bad = sh(['-c', `d=${dir}\n${check}`]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/does not hold the CA/);
  });

  it('quotes for sh', () => {
    expect(sh(['-c', `printf '%s' ${shQuote("it's $HOME")}`]).stdout).toBe("it's $HOME");
  });
});
