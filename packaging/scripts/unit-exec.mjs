// What systemd would run for bascule-agent.service: the ExecStart= line with Environment= defaults,
// overridden by EnvironmentFile= values, expanded as systemd does (`${VAR}` as one word, `$VAR` split
// on spaces). The package tests run it in a chroot, where there is no systemd.

/** Parses KEY=VALUE lines (comments and blanks skipped, one level of quotes removed). */
export function parseEnvironmentFile(text) {
  const env = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/);
    if (!m || line.trim().startsWith('#')) continue;
    env[m[1]] = m[2].replace(/^"(.*)"$|^'(.*)'$/, '$1$2');
  }
  return env;
}

/** {argv, env}: the unit's ExecStart as argv with the environment systemd would give it. */
export function unitExecStart(unitText, environmentFileText = '') {
  const env = {};
  let execStart;
  for (const raw of unitText.split('\n')) {
    const line = raw.trim();
    const m = line.match(/^Environment=([A-Za-z_][A-Za-z0-9_]*)=(.*)$/);
    if (m) env[m[1]] = m[2];
    if (line.startsWith('ExecStart=')) execStart = line.slice('ExecStart='.length);
  }
  if (!execStart) throw new Error('the unit has no ExecStart=');
  // systemd reads every Environment= before EnvironmentFile=, which overrides them.
  Object.assign(env, parseEnvironmentFile(environmentFileText));
  const argv = execStart.split(/\s+/).flatMap((word) => {
    const braced = word.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, k) => env[k] ?? '');
    const bare = braced.match(/^\$([A-Za-z_][A-Za-z0-9_]*)$/);
    if (bare) return (env[bare[1]] ?? '').split(/\s+/).filter(Boolean);
    return [braced];
  });
  return { argv, env };
}
