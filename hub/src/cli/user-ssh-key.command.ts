import fs from 'node:fs';
import os from 'node:os';
import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { systemClock } from '../core/clock.js';
import { openHubServices } from '../services.js';
import { parseSshPublicKey, SshKeyError } from '../users/ssh-public-key.js';
import { resolveDataDir } from './common-options.js';
import { stderrLogger } from './token.command.js';

const actor = () => `cli:${os.userInfo().username}`;

/** The public key in FILE (`-`: standard input), checked before anything is written. */
export function readPublicKeyFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the SSH public key ${file}: ${(err as Error).message}`);
  }
  try {
    parseSshPublicKey(text);
  } catch (err) {
    if (err instanceof SshKeyError) throw new Error(`${file}: ${err.message}`);
    throw err;
  }
  return text;
}

@SubCommand({
  name: 'add',
  arguments: '<name> <file>',
  description: 'Register the SSH public key in FILE (a .pub file; - for stdin) for the account',
})
export class UserSshKeyAddCommand extends CommandRunner {
  async run([name, file]: string[], o: { data?: string }): Promise<void> {
    if (!name || !file) throw new Error('give the user name and the public key file');
    const text = readPublicKeyFile(file);
    const services = await openHubServices(resolveDataDir(o.data), systemClock, stderrLogger());
    try {
      const key = await services.sshKeys.addByUsername(name, text, actor());
      process.stdout.write(`SSH key ${key.fingerprint} (${key.algorithm}) added for ${name}.\n`);
    } finally {
      await services.close();
    }
  }

  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }
}

@SubCommand({ name: 'list', arguments: '<name>', description: "List an account's SSH keys" })
export class UserSshKeyListCommand extends CommandRunner {
  async run([name]: string[], o: { data?: string; json?: boolean }): Promise<void> {
    if (!name) throw new Error('give the user name');
    const services = await openHubServices(resolveDataDir(o.data), systemClock, stderrLogger());
    try {
      const keys = await services.sshKeys.listByUsername(name);
      if (o.json) {
        process.stdout.write(`${JSON.stringify(keys, null, 2)}\n`);
        return;
      }
      if (keys.length === 0) process.stdout.write(`${name} has no SSH key.\n`);
      for (const k of keys) {
        const used = k.lastUsedAt ? `last used ${k.lastUsedAt}` : 'never used';
        process.stdout.write(
          `${k.fingerprint}  ${k.algorithm}  ${k.comment || '-'}  (added ${k.createdAt}, ${used})\n`,
        );
      }
    } finally {
      await services.close();
    }
  }

  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }
  @Option({ flags: '--json', description: 'print JSON' })
  parseJson() {
    return true;
  }
}

@SubCommand({
  name: 'remove',
  arguments: '<name> <fingerprint>',
  description: 'Remove an SSH key of the account, named by its fingerprint (SHA256:…, as listed)',
})
export class UserSshKeyRemoveCommand extends CommandRunner {
  async run([name, fingerprint]: string[], o: { data?: string }): Promise<void> {
    if (!name || !fingerprint) throw new Error('give the user name and the key fingerprint');
    const services = await openHubServices(resolveDataDir(o.data), systemClock, stderrLogger());
    try {
      const key = await services.sshKeys.removeByFingerprint(name, fingerprint, actor());
      process.stdout.write(`SSH key ${key.fingerprint} removed from ${name}.\n`);
    } finally {
      await services.close();
    }
  }

  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }
}

@SubCommand({
  name: 'ssh-key',
  description: 'SSH public keys of an account (the SSH gateway: ssh -p 2222 USER+DEVICE@hub)',
  subCommands: [UserSshKeyAddCommand, UserSshKeyListCommand, UserSshKeyRemoveCommand],
})
export class UserSshKeyCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
