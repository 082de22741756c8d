import os from 'node:os';
import type { HubProcess } from './hub.js';
import { AGENT_BIN, type Proc, runNode, spawnNode, tempDir } from './processes.js';

/** A real `bascule-agent` enrolled into a hub, with its own state directory. */
export class AgentProcess {
  proc?: Proc;
  deviceId = '';
  /** The agent reports this machine's hostname. */
  readonly hostname = os.hostname();
  /** A command that runs node elsewhere (`nsenter -t PID -m`: a private mount namespace); empty: node itself. */
  launcher: string[] = [];
  /** More `run` flags, and environment for the daemon (`BASCULE_TEST_CLOCK_SPEED`). */
  runArgs: string[] = [];
  runEnv: Record<string, string> = {};

  constructor(
    readonly hub: HubProcess,
    readonly stateDir: string,
    readonly heartbeatSeconds = 1,
    /** The Node.js binary running the agent (the packages bundle Node 24). */
    readonly nodeBin = process.execPath,
  ) {}

  async enroll(department: string): Promise<this> {
    const t = await this.hub.createToken(department);
    const r = await this.run([
      AGENT_BIN,
      'enroll',
      '--hub',
      this.hub.url,
      '--token',
      t.token,
      '--ca-hash',
      t.caHash,
      '--state',
      this.stateDir,
    ]);
    if (r.code !== 0) throw new Error(`enroll failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
    const status = await this.status();
    this.deviceId = status.deviceId as string;
    return this;
  }

  async status(): Promise<Record<string, unknown>> {
    const r = await this.run([AGENT_BIN, 'status', '--json', '--state', this.stateDir]);
    if (r.code !== 0) throw new Error(`status failed (${r.code}): ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  start(): this {
    const args = [
      AGENT_BIN,
      'run',
      '--state',
      this.stateDir,
      '--heartbeat-seconds',
      String(this.heartbeatSeconds),
      ...this.runArgs,
    ];
    this.proc =
      this.launcher.length > 0
        ? spawnNode([...this.launcher.slice(1), process.execPath, ...args], this.runEnv, this.launcher[0])
        : spawnNode(args, this.runEnv);
    return this;
  }

  private run(args: string[]) {
    return this.launcher.length > 0
      ? runNode([...this.launcher.slice(1), process.execPath, ...args], { nodeBin: this.launcher[0] })
      : runNode(args);
  }

  async stop(): Promise<void> {
    await this.proc?.stop('SIGTERM');
  }

  async kill(): Promise<void> {
    await this.proc?.stop('SIGKILL');
  }
}

/** Enrols a new agent into `hub` and starts its daemon. */
export async function startAgent(
  hub: HubProcess,
  opts: { department?: string; heartbeatSeconds?: number; nodeBin?: string } = {},
) {
  const agent = new AgentProcess(hub, tempDir('agent'), opts.heartbeatSeconds ?? 1, opts.nodeBin);
  await agent.enroll(opts.department ?? 'Informatique');
  return agent.start();
}
