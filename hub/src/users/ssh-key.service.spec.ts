import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../http/http-errors.js';
import { testServices } from '../test-support.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const PASSWORD = 'la mairie passe à Zorin OS';

function codeOf(err: unknown): unknown {
  if (!(err instanceof ApiError)) throw err;
  const body = err.getResponse() as { code?: string; errorCodes?: Record<string, string> };
  return { status: err.getStatus(), code: body.code ?? body.errorCodes?.publicKey };
}

describe('SshKeyService', () => {
  let s: Services;
  let alice: string;
  let bob: string;
  let pub: string;
  beforeEach(async () => {
    s = await testServices();
    alice = (await s.users.create({ username: 'alice', role: 'helpdesk', password: PASSWORD }, 'spec')).id;
    bob = (await s.users.create({ username: 'bob', role: 'viewer', password: PASSWORD }, 'spec')).id;
    const file = path.join(s.dir, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice@laptop', '-f', file]);
    pub = fs.readFileSync(`${file}.pub`, 'utf8');
  });
  afterEach(() => s.close());

  it('registers, lists, finds for the gateway and removes a key, with an audit trail', async () => {
    const key = await s.sshKeys.add(alice, { publicKey: pub }, 'alice');
    expect(key).toMatchObject({ userId: alice, algorithm: 'ssh-ed25519', comment: 'alice@laptop', lastUsedAt: null });
    expect(key.publicKey).toBe(pub.trim());
    expect(await s.sshKeys.list(alice)).toEqual([key]);
    const owner = await s.sshKeys.findOwner(pub.split(' ')[1] as string);
    expect(owner?.user).toEqual({ id: alice, username: 'alice', role: 'helpdesk' });
    await s.sshKeys.markUsed(key.id);
    expect((await s.sshKeys.list(alice))[0]?.lastUsedAt).not.toBeNull();

    await expect(s.sshKeys.remove(bob, key.id, 'bob').catch(codeOf)).resolves.toEqual({ status: 404, code: undefined });
    await s.sshKeys.removeByFingerprint('alice', key.fingerprint, 'admin');
    expect(await s.sshKeys.list(alice)).toEqual([]);
    const audit = await s.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'like', 'ssh_key.%')
      .execute();
    expect(audit.map((a) => [a.action, a.actor, a.target])).toEqual([
      ['ssh_key.added', 'alice', 'alice'],
      ['ssh_key.removed', 'admin', 'alice'],
    ]);
    expect(JSON.parse(audit[0]?.detail ?? '{}')).toMatchObject({ fingerprint: key.fingerprint });
  });

  it('refuses a key registered already, for the same or another account, and bad keys with a code', async () => {
    await s.sshKeys.add(alice, { publicKey: pub, comment: 'laptop' }, 'alice');
    await expect(s.sshKeys.add(alice, { publicKey: pub }, 'alice').catch(codeOf)).resolves.toEqual({
      status: 409,
      code: 'SSH_KEY_DUPLICATE',
    });
    await expect(s.sshKeys.add(bob, { publicKey: pub }, 'bob').catch(codeOf)).resolves.toEqual({
      status: 409,
      code: 'SSH_KEY_DUPLICATE',
    });
    await expect(s.sshKeys.add(bob, { publicKey: 'not a key' }, 'bob').catch(codeOf)).resolves.toEqual({
      status: 400,
      code: 'SSH_KEY_INVALID',
    });
    expect(await s.sshKeys.list(bob)).toEqual([]);
  });

  it("forgets an account's keys with the account", async () => {
    await s.sshKeys.add(bob, { publicKey: pub }, 'bob');
    const admin = await s.users.create({ username: 'root-admin', role: 'admin', password: PASSWORD }, 'spec');
    await s.users.delete(bob, admin);
    expect(await s.sshKeys.findOwner(pub.split(' ')[1] as string)).toBeUndefined();
  });
});
