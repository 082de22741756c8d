/** Parsers of the CUPS command-line tools' output (run with LC_ALL=C.UTF-8 by the command runner). */

/** `lpstat -v`: "device for Q: URI" per queue. */
export function parseLpstatDevices(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^device for ([^:\s]+): (.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) out.set(m[1], m[2].trim());
  }
  return out;
}

/** `lpstat -d`: "system default destination: Q", or "no system default destination". */
export function parseLpstatDefault(stdout: string): string | null {
  const m = /system default destination: (\S+)/.exec(stdout);
  return m?.[1] ?? null;
}

/**
 * `lpoptions -p Q`: `name=value` pairs on one line; a value with spaces is single-quoted and CUPS does
 * not escape quotes inside it, so a quoted value ends at a quote followed by ` name=` or the end.
 */
export function parseLpoptions(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /(?:^|\s)([A-Za-z0-9_-]+)=('(?:[^']|'(?!\s+[A-Za-z0-9_-]+=|\s*$))*'|\S*)/g;
  const line = stdout.trim();
  for (let m = re.exec(line); m !== null; m = re.exec(line)) {
    const [, key, raw = ''] = m;
    if (!key) continue;
    out[key] = raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2 ? raw.slice(1, -1) : raw;
  }
  return out;
}

/** `lpoptions -p Q -l`: each PPD option's default (the choice marked `*`), by option keyword. */
export function parsePpdDefaults(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^([^/:\s]+)(?:\/[^:]*)?:\s*(.*)$/.exec(line.trim());
    if (!m?.[1]) continue;
    const choice = (m[2] ?? '').split(/\s+/).find((c) => c.startsWith('*'));
    if (choice) out.set(m[1], choice.slice(1));
  }
  return out;
}

/** `lpinfo -m`: "model make-and-model" per line, by model. */
export function parseLpinfoModels(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const i = line.indexOf(' ');
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return out;
}

/**
 * The driver CUPS gave a queue, from its `printer-make-and-model` (the PPD's NickName). CUPS names the
 * PPD it generates for a driverless printer "<model> - IPP Everywhere"; a queue without a PPD is
 * "Local Raw Printer", which is also what `lpadmin -m everywhere` leaves when the printer did not
 * answer (or while cupsd is still generating the PPD).
 */
export function driverKindOf(makeAndModel: string): 'everywhere' | 'raw' | 'ppd' {
  if (/ - IPP Everywhere$/.test(makeAndModel)) return 'everywhere';
  if (makeAndModel === 'Local Raw Printer' || makeAndModel === '') return 'raw';
  return 'ppd';
}
