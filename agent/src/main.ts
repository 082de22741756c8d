/**
 * Entry point. `run` is dispatched to the daemon before anything imports NestJS, which would cost the
 * long-running process about 35 MiB; `inventory` too, because Nest's start-up alone takes longer than
 * the collection (benchmarked against fusioninventory). Every other command goes through nest-commander.
 */
async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'run' || command === 'inventory') {
    // Measured (docs/performance.md): lite mode (no optimising compiler) and a small young generation
    // take the idle daemon from ~72 to ~55 MiB resident and the inventory's peak down by ~13 MiB; both
    // run little code, so speed does not matter. Set before their modules load (the packaged systemd
    // unit passes the same flags on the command line); BASCULE_AGENT_V8_FLAGS=none keeps V8's defaults.
    const flags = process.env.BASCULE_AGENT_V8_FLAGS ?? '--lite-mode --max-semi-space-size=1';
    if (flags !== 'none') (await import('node:v8')).setFlagsFromString(flags);
  }
  if (command === 'run') {
    const { runDaemon } = await import('./daemon/run-daemon.js');
    process.exitCode = await runDaemon(rest);
    return;
  }
  if (command === 'inventory') {
    const { runFastInventory } = await import('./cli/fast-inventory.js');
    if (await runFastInventory(rest)) return;
  }
  if (command === 'antivirus') {
    const { runAntivirusScan } = await import('./cli/antivirus-scan.js');
    process.exitCode = await runAntivirusScan(rest);
    return;
  }
  if (command === 'apply') {
    const { runFastApply } = await import('./cli/run-apply.js');
    if (await runFastApply(rest)) return;
  }
  const { runCli } = await import('./cli/run-cli.js');
  await runCli();
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`bascule-agent: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
