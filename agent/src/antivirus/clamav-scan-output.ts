/** What one line of clamscan's or clamdscan's output says. */
export type ScanLine =
  | { kind: 'ok'; path: string }
  | { kind: 'skipped'; path: string; why: string }
  | { kind: 'found'; path: string; signature: string }
  | { kind: 'error'; message: string }
  | { kind: 'other' };

/** Per-file answers that are not an infection nor an error: the file was looked at, or passed over. */
const SKIPPED = new Set(['Empty file', 'Symbolic link', 'Excluded', 'Excluded (max file size)']);

/**
 * One line of `clamscan --no-summary` / `clamdscan --no-summary` output. stdout has one line per file:
 * `PATH: OK`, `PATH: SIGNATURE FOUND`, `PATH: Empty file`, `PATH: No such file or directory`,
 * `PATH: Access denied. ERROR` (clamdscan). stderr has the problems: `ERROR: Can't access file PATH`,
 * `WARNING: PATH: Can't access file`, `LibClamAV Error: …`. The path may itself hold `: `, the
 * answer never does, so lines are cut at the last `: `.
 */
export function parseScanLine(stream: 'stdout' | 'stderr', line: string): ScanLine {
  const text = line.replace(/\r$/, '');
  if (stream === 'stderr') {
    if (/^(ERROR|WARNING): /.test(text) || /^LibClamAV Error: /.test(text)) {
      return { kind: 'error', message: text.slice(0, 2000) };
    }
    return { kind: 'other' };
  }
  const cut = text.lastIndexOf(': ');
  if (cut <= 0) return { kind: 'other' };
  const path = text.slice(0, cut);
  const answer = text.slice(cut + 2);
  if (answer === 'OK') return { kind: 'ok', path };
  if (answer.endsWith(' FOUND')) return { kind: 'found', path, signature: answer.slice(0, -6).trim() || 'unknown' };
  if (answer.endsWith(' ERROR') || answer === 'No such file or directory' || answer === 'Access denied') {
    return { kind: 'error', message: `${path}: ${answer.replace(/\.? ERROR$/, '')}`.slice(0, 2000) };
  }
  if (SKIPPED.has(answer)) return { kind: 'skipped', path, why: answer };
  return { kind: 'other' };
}

/** A scan's outcome from ClamAV's exit code: 0 clean, 1 infected, anything else (2, a kill) an error. */
export function scanResultOf(exitCode: number | null, detections: number): 'clean' | 'infected' | 'error' {
  if (exitCode === 0 && detections === 0) return 'clean';
  if (exitCode === 1 && detections > 0) return 'infected';
  // 1 without a line we understood, 2, a signal: never "clean".
  return 'error';
}
