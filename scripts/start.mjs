#!/usr/bin/env node
// `npm start`: a hub with its data in ./data, this machine's own agent enrolled into it (state in
// ./data/agent), then the admin UI URL and the admin password. Logs go to ./data/logs/. Ctrl-C stops both.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const data = path.join(root, 'data');
const agentState = path.join(data, 'agent');
const logs = path.join(data, 'logs');
const hubBin = path.join(root, 'hub/bin/bascule-hub.js');
const agentBin = path.join(root, 'agent/bin/bascule-agent.js');
const httpPort = process.env.BASCULE_HTTP_PORT ?? '8443';
const mqttPort = process.env.BASCULE_MQTT_PORT ?? '8883';

fs.mkdirSync(logs, { recursive: true, mode: 0o700 });

function startLogged(name, args) {
  const out = fs.openSync(path.join(logs, `${name}.log`), 'a', 0o600);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk) => fs.writeSync(out, chunk));
  child.stderr.on('data', (chunk) => fs.writeSync(out, chunk));
  return child;
}

function waitForReady(child) {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.stdout.on('data', (c) => {
      stdout += c;
      for (const line of stdout.split('\n')) {
        if (line.includes('"msg":"hub ready"')) return resolve({ ready: JSON.parse(line), stderr: () => stderr });
      }
    });
    child.once('exit', (code) =>
      reject(
        new Error(
          `the hub stopped (exit ${code}) before it was ready:\n${stderr || stdout.split('\n').slice(-5).join('\n')}`,
        ),
      ),
    );
  });
}

const hub = startLogged('hub', [hubBin, 'serve', '--data', data, '--http-port', httpPort, '--mqtt-port', mqttPort]);
let agent;
const stopAll = () => {
  agent?.kill('SIGTERM');
  hub.kill('SIGTERM');
};
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

try {
  const { ready, stderr } = await waitForReady(hub);
  // give the banner (stderr) a moment to arrive after the ready line
  await new Promise((r) => setTimeout(r, 200));
  const password = stderr().match(/one-time password: (\S+)/)?.[1];
  const localUrl = `https://localhost:${ready.httpPort}`;

  if (!fs.existsSync(path.join(agentState, 'identity.json'))) {
    const token = spawnSync(
      process.execPath,
      [hubBin, 'token', 'create', '--data', data, '--department', 'Informatique', '--json'],
      {
        encoding: 'utf8',
      },
    );
    if (token.status !== 0) throw new Error(`token create failed: ${token.stderr}`);
    const { token: t, caHash } = JSON.parse(token.stdout);
    const enrol = spawnSync(
      process.execPath,
      [agentBin, 'enroll', '--hub', localUrl, '--token', t, '--ca-hash', caHash, '--state', agentState],
      {
        encoding: 'utf8',
      },
    );
    if (enrol.status !== 0) throw new Error(`this machine could not be enrolled: ${enrol.stderr || enrol.stdout}`);
  }
  agent = startLogged('agent', [agentBin, 'run', '--state', agentState]);
  agent.once('exit', (code) => {
    if (code) process.stderr.write(`the agent stopped (exit ${code}); see ${path.join(logs, 'agent.log')}\n`);
  });

  process.stdout.write(
    [
      '',
      'Bascule is running.',
      `  Admin UI:  https://${os.hostname()}:${ready.httpPort}/  (or ${localUrl}/)`,
      "             the certificate comes from the hub's private CA: data/tls/ca.pem",
      '  User:      admin',
      password
        ? `  Password:  ${password}   (one-time: you will choose your own at first login)`
        : '  Password:  the one you chose (forgotten? node hub/bin/bascule-hub.js user reset-password admin --data data)',
      `  This machine is enrolled as a device (agent state in ${path.relative(root, agentState)}/).`,
      `  Logs:      ${path.relative(root, logs)}/hub.log, ${path.relative(root, logs)}/agent.log`,
      '  Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
  hub.once('exit', (code) => {
    agent?.kill('SIGTERM');
    process.exitCode = code ?? 0;
  });
} catch (err) {
  process.stderr.write(`npm start: ${err.message}\n`);
  stopAll();
  process.exitCode = 1;
}
