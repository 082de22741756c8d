import os from 'node:os';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import type { Role } from '../auth/user.repository.js';
import { ROLES } from '../auth/user.repository.js';
import { systemClock } from '../core/clock.js';
import { openHubServices } from '../services.js';
import { generateOneTimePassword } from '../users/user.service.js';
import { resolveDataDir } from './common-options.js';
import { stderrLogger } from './token.command.js';
import { readPublicKeyFile, UserSshKeyCommand } from './user-ssh-key.command.js';

interface UserAddOptions {
  data?: string;
  role: Role;
  passwordStdin?: boolean;
  sshKey?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // Only the line ending is removed: spaces are legitimate password characters.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

@SubCommand({ name: 'add', arguments: '<name>', description: 'Create an account (admin, helpdesk or viewer)' })
export class UserAddCommand extends CommandRunner {
  async run([name]: string[], o: UserAddOptions): Promise<void> {
    if (!name) throw new Error('give the user name');
    if (!ROLES.includes(o.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    // Checked first, so that a bad key file creates no account.
    const publicKey = o.sshKey ? readPublicKeyFile(o.sshKey) : undefined;
    const oneTime = o.passwordStdin ? null : generateOneTimePassword();
    const password = oneTime ?? (await readStdin());
    const services = await openHubServices(resolveDataDir(o.data), systemClock, stderrLogger());
    try {
      const user = await services.users.create(
        { username: name, role: o.role, password, mustChangePassword: oneTime !== null },
        `cli:${os.userInfo().username}`,
      );
      process.stdout.write(`User ${user.username} created with role ${user.role}.\n`);
      if (oneTime) process.stdout.write(`One-time password (to change at first login): ${oneTime}\n`);
      if (publicKey) {
        const key = await services.sshKeys.add(user.id, { publicKey }, `cli:${os.userInfo().username}`);
        process.stdout.write(`SSH key ${key.fingerprint} (${key.algorithm}) added.\n`);
      }
    } finally {
      await services.close();
    }
  }

  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }
  @Option({ flags: '--role <role>', description: 'admin, helpdesk or viewer', required: true })
  parseRole(v: string) {
    return v;
  }
  @Option({
    flags: '--password-stdin',
    description: 'read the password from standard input instead of generating a one-time one',
  })
  parsePasswordStdin() {
    return true;
  }
  @Option({ flags: '--ssh-key <file>', description: "the person's SSH public key (.pub file), for the SSH gateway" })
  parseSshKey(v: string) {
    return v;
  }
}

@SubCommand({ name: 'reset-password', arguments: '<name>', description: 'Give an account a new one-time password' })
export class UserResetPasswordCommand extends CommandRunner {
  async run([name]: string[], o: { data?: string }): Promise<void> {
    if (!name) throw new Error('give the user name');
    const services = await openHubServices(resolveDataDir(o.data), systemClock, stderrLogger());
    try {
      const password = await services.users.resetPassword(name, `cli:${os.userInfo().username}`);
      process.stdout.write(`One-time password for ${name} (to change at next login): ${password}\n`);
    } finally {
      await services.close();
    }
  }

  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }
}

@Command({
  name: 'user',
  description: 'Accounts of the admin UI and the SSH gateway',
  subCommands: [UserAddCommand, UserResetPasswordCommand, UserSshKeyCommand],
})
export class UserCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
