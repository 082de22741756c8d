// Benchmark: time from the loss of the primary link to the default route on the 4G backup, and back, with a
// real NetworkManager in a network namespace (test/e2e/support/nm-rig.sh; the veth wwan0 stands in for the
// modem's link, carried by an Ethernet profile). Two cut kinds: the address removed upstream (carrier up:
// only NetworkManager's connectivity check can tell) and the carrier down. Two modes: passive (the backup is
// up, NetworkManager demotes the primary) and on-demand (the agent's WwanWatcher, built, brings the backup up
// after downAfterSeconds and down after upAfterSeconds).
//   node test/bench/wwan-failover.mjs [--runs 3] [--interval 5] [--down-after 5] [--up-after 5]
//     [--modes passive,on-demand] [--no-probe]   (--no-probe: on-demand on NetworkManager's verdict alone)
// Needs root, NetworkManager, ModemManager, nsenter and a built tree (npm run build). Prints a table.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, ROOT, sleep, tempDir } from './lib.mjs';

const opts = parseArgs({
  runs: 3,
  interval: 5,
  'down-after': 5,
  'up-after': 5,
  modes: 'passive,on-demand',
  'no-probe': false,
});
const { WwanWatcher } = await import(join(ROOT, 'agent/dist/wwan/wwan-watcher.js'));
const { NetworkManagerClient } = await import(join(ROOT, 'agent/dist/wwan/network-manager-client.js'));
const { DataUseMeter } = await import(join(ROOT, 'agent/dist/wwan/data-use-meter.js'));
const { ProcessCommandRunner } = await import(join(ROOT, 'agent/dist/system/command-runner.js'));
const { PrefixedCommandRunner } = await import(join(ROOT, 'agent/dist/system/prefixed-command-runner.js'));
const { MemoryStateFile } = await import(join(ROOT, 'agent/dist/system/state-file.js'));
const { systemClock } = await import(join(ROOT, 'agent/dist/system/clock.js'));
const { formatWwanPolicy } = await import(join(ROOT, 'agent/dist/wwan/wwan-policy-file.js'));
const { ConnectivityProbe } = await import(join(ROOT, 'agent/dist/wwan/connectivity-probe.js'));

const RIG_SCRIPT = join(ROOT, 'test/e2e/support/nm-rig.sh');
const NAME = `b${process.pid % 100000}`;
const rig = tempDir('nm-rig');
mkdirSync(rig, { recursive: true });
let nmPid = '';

const nm = (args) => execFileSync('nsenter', ['-t', nmPid, '-m', '-n', ...args], { encoding: 'utf8', stdio: 'pipe' });
const isp = (args) => execFileSync('ip', ['-n', `${NAME}-isp`, ...args], { stdio: 'pipe' });
const defaultDev = () => {
  const routes = JSON.parse(nm(['ip', '-j', '-4', 'route', 'show', 'default']) || '[]');
  return routes.sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0))[0]?.dev ?? 'none';
};
async function waitRoute(dev, timeoutMs) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (defaultDev() === dev) return Date.now() - start;
    await sleep(100);
  }
  throw new Error(`no default route on ${dev} within ${timeoutMs} ms`);
}

const backupUp = () => nm(['nmcli', '-t', '-f', 'GENERAL.STATE', 'connection', 'show', 'backup']).includes('activated');

const CUTS = {
  address: {
    cut: () => isp(['addr', 'del', '10.233.1.1/24', 'dev', 'isp-pri']),
    restore: () => isp(['addr', 'add', '10.233.1.1/24', 'dev', 'isp-pri']),
  },
  carrier: {
    cut: () => isp(['link', 'set', 'isp-pri', 'down']),
    restore: () => isp(['link', 'set', 'isp-pri', 'up']),
  },
};

function watcherFor(mode) {
  const quiet = () => {};
  const policy = new MemoryStateFile(
    formatWwanPolicy({
      profile: 'backup',
      imei: '',
      operator: '20801',
      mode,
      downAfterSeconds: opts['down-after'],
      upAfterSeconds: opts['up-after'],
      monthlyCapMiB: 0,
      monthStartDay: 1,
      pinRefused: false,
    }),
  );
  const runner = new PrefixedCommandRunner(new ProcessCommandRunner(), ['nsenter', '-t', nmPid, '-m', '-n']);
  return new WwanWatcher(
    new NetworkManagerClient(runner),
    policy,
    new DataUseMeter(new MemoryStateFile(), () => 'bench'),
    { emit: quiet },
    systemClock,
    { debug: quiet, info: quiet, warn: quiet, error: quiet },
    quiet,
    {},
    // The daemon's own quick probe of the primary (on-demand), unless --no-probe: NetworkManager alone.
    opts['no-probe'] ? undefined : new ConnectivityProbe(runner),
  );
}

const results = [];
try {
  nmPid = execFileSync(RIG_SCRIPT, ['up', rig, NAME, String(opts.interval)], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .at(-1);
  const common = ['ipv4.method', 'manual', 'ipv6.method', 'disabled'];
  nm([
    'nmcli',
    'connection',
    'add',
    'type',
    'ethernet',
    'ifname',
    'pri0',
    'con-name',
    'primary',
    ...common,
    'ipv4.addresses',
    '10.233.1.2/24',
    'ipv4.gateway',
    '10.233.1.1',
    'ipv4.route-metric',
    '100',
  ]);
  nm([
    'nmcli',
    'connection',
    'add',
    'type',
    'ethernet',
    'ifname',
    'wwan0',
    'con-name',
    'backup',
    ...common,
    'ipv4.addresses',
    '10.233.2.2/24',
    'ipv4.gateway',
    '10.233.2.1',
    'ipv4.route-metric',
    '700',
  ]);
  await waitRoute('pri0', 30_000);
  for (const mode of opts.modes.split(',')) {
    nm(['nmcli', 'connection', 'modify', 'backup', 'connection.autoconnect', mode === 'passive' ? 'yes' : 'no']);
    if (mode === 'passive') nm(['nmcli', 'connection', 'up', 'backup']);
    else if (nm(['nmcli', '-t', '-f', 'GENERAL.STATE', 'connection', 'show', 'backup']).includes('activated')) {
      nm(['nmcli', 'connection', 'down', 'backup']);
    }
    const watcher = watcherFor(mode);
    watcher.start();
    await sleep(12_000); // NetworkManager's check has seen the primary full, the watcher its first looks
    for (const [kind, cut] of Object.entries(CUTS)) {
      for (let run = 1; run <= opts.runs; run++) {
        await waitRoute('pri0', 60_000);
        await sleep(3_000);
        // On-demand: the watcher has taken the backup down again (upAfterSeconds after the last repair).
        for (let i = 0; mode === 'on-demand' && i < 600 && backupUp(); i++) await sleep(100);
        cut.cut();
        const toBackup = await waitRoute('wwan0', 120_000);
        await sleep(2_000);
        cut.restore();
        const back = await waitRoute('pri0', 60_000);
        results.push({ mode, kind, run, toBackup, back });
        console.log(
          `${mode} ${kind} #${run}: to the backup ${(toBackup / 1000).toFixed(1)} s, back ${(back / 1000).toFixed(1)} s`,
        );
      }
    }
    await watcher.stop();
  }
} finally {
  try {
    execFileSync(RIG_SCRIPT, ['down', rig, NAME], { stdio: 'inherit' });
  } finally {
    rmSync(rig, { recursive: true, force: true });
  }
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};
console.log(
  `\nNetworkManager connectivity interval ${opts.interval} s, on-demand ${opts['down-after']} s down / ${opts['up-after']} s up, ${opts.runs} runs`,
);
console.log('| mode | cut | to the backup: median (min–max) | back: median (min–max) |');
console.log('|---|---|---|---|');
for (const mode of opts.modes.split(',')) {
  for (const kind of Object.keys(CUTS)) {
    const r = results.filter((x) => x.mode === mode && x.kind === kind);
    const f = (k) =>
      `${(median(r.map((x) => x[k])) / 1000).toFixed(1)} s (${(Math.min(...r.map((x) => x[k])) / 1000).toFixed(1)}–${(Math.max(...r.map((x) => x[k])) / 1000).toFixed(1)})`;
    console.log(`| ${mode} | ${kind} | ${f('toBackup')} | ${f('back')} |`);
  }
}
