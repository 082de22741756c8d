import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AgentProcess } from './agent.js';
import type { HubProcess } from './hub.js';
import { AGENT_BIN, spawnNode, tempDir } from './processes.js';

/** A fresh Ed25519 key pair made by ssh-keygen; returns the private key's path (`.pub` next to it). */
export function sshKeygen(dir: string, name: string): string {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
  return file;
}

/** Options of the real OpenSSH client for a throwaway hub: no known_hosts, no agent, no prompts. */
export function sshOptions(port: number, key: string): string[] {
  return [
    '-F',
    '/dev/null',
    '-p',
    String(port),
    '-i',
    key,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'IdentityAgent=none',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'LogLevel=ERROR',
    '-o',
    'SendEnv=LANG LC_*',
  ];
}

export interface SshResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs `ssh [extra] login@127.0.0.1 [command]` to completion. */
export function sshRun(
  port: number,
  key: string,
  login: string,
  command: string | undefined,
  opts: { extra?: string[]; env?: NodeJS.ProcessEnv; input?: string; onStdout?: (chunk: Buffer) => void } = {},
): Promise<SshResult> {
  const args = [
    ...(opts.extra ?? []),
    ...sshOptions(port, key),
    `${login}@127.0.0.1`,
    ...(command === undefined ? [] : [command]),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => (opts.onStdout ? opts.onStdout(d) : out.push(d)));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdin.end(opts.input ?? '');
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
  });
}

/** Enrols a new agent and starts its daemon with extra `run` flags (e.g. `--terminal-consent always`). */
export async function startAgentWith(hub: HubProcess, extra: string[] = [], agent?: AgentProcess) {
  const a = agent ?? (await new AgentProcess(hub, tempDir('agent'), 1).enroll('Informatique'));
  a.proc = spawnNode([AGENT_BIN, 'run', '--state', a.stateDir, '--heartbeat-seconds', '1', ...extra]);
  return a;
}

/** Resident memory of a process in KiB (VmRSS of /proc/PID/status). */
export function rssKiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}
