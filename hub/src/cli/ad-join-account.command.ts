import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { JoinAccountStore, joinAccountsFile } from '../ad-join/join-account.store.js';
import { resolveDataDir } from './common-options.js';

async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

interface SetOptions {
  data?: string;
  domain: string;
  user: string;
  passwordStdin?: boolean;
  domainController?: string;
}

@SubCommand({
  name: 'set',
  description: 'Store the delegated account that pre-creates computer objects (password read from stdin)',
})
export class AdJoinAccountSetCommand extends CommandRunner {
  async run(_args: string[], o: SetOptions): Promise<void> {
    if (!o.domain || !o.user) throw new Error('--domain and --user are required');
    if (!o.passwordStdin)
      throw new Error('give the password on standard input with --password-stdin (never as an argument)');
    const password = await readPasswordFromStdin();
    if (!password) throw new Error('empty password on standard input');
    const store = new JoinAccountStore(joinAccountsFile(resolveDataDir(o.data)));
    store.set({
      domain: o.domain,
      user: o.user,
      password,
      ...(o.domainController ? { domainController: o.domainController } : {}),
    });
    process.stdout.write(`Join account for ${o.domain.toLowerCase()} stored (user ${o.user}).\n`);
  }

  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }
  @Option({ flags: '--domain <domain>', description: 'AD DNS domain, e.g. corp.example.fr', required: true })
  parseDomain(v: string) {
    return v;
  }
  @Option({
    flags: '--user <user>',
    description: 'account allowed to create computer objects in the OU',
    required: true,
  })
  parseUser(v: string) {
    return v;
  }
  @Option({ flags: '--password-stdin', description: 'read the password from standard input' })
  parsePasswordStdin() {
    return true;
  }
  @Option({ flags: '--domain-controller <host>', description: 'a DC to use when DNS does not find one' })
  parseDomainController(v: string) {
    return v;
  }
}

@SubCommand({ name: 'list', description: 'Show the join accounts (never their passwords)' })
export class AdJoinAccountListCommand extends CommandRunner {
  async run(_args: string[], o: { data?: string }): Promise<void> {
    const accounts = new JoinAccountStore(joinAccountsFile(resolveDataDir(o.data))).list();
    if (accounts.length === 0) process.stdout.write('No join account.\n');
    for (const a of accounts) {
      process.stdout.write(`${a.domain}\t${a.user}${a.domainController ? `\t${a.domainController}` : ''}\n`);
    }
  }

  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }
}

@SubCommand({ name: 'remove', arguments: '<domain>', description: 'Forget the join account of a domain' })
export class AdJoinAccountRemoveCommand extends CommandRunner {
  async run([domain]: string[], o: { data?: string }): Promise<void> {
    if (!domain) throw new Error('give the domain');
    const removed = new JoinAccountStore(joinAccountsFile(resolveDataDir(o.data))).remove(domain);
    process.stdout.write(removed ? `Join account for ${domain} removed.\n` : `No join account for ${domain}.\n`);
  }

  @Option({ flags: '--data <dir>', description: 'hub data directory' })
  parseData(v: string) {
    return v;
  }
}

@Command({
  name: 'ad-join-account',
  description: 'The delegated AD account the hub pre-creates computer accounts with',
  subCommands: [AdJoinAccountSetCommand, AdJoinAccountListCommand, AdJoinAccountRemoveCommand],
})
export class AdJoinAccountCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
