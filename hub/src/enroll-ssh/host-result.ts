import type { SshTarget } from './hosts-file.js';

export type Outcome = 'enrolled' | 'already-enrolled' | 'unreachable' | 'failed';

/** What happened to one host; `detail` is a sentence IT can act on. */
export interface HostResult {
  target: SshTarget;
  outcome: Outcome;
  deviceId: string | null;
  detail: string;
  seconds: number;
}

const LABEL: Record<Outcome, string> = {
  enrolled: 'enrolled',
  'already-enrolled': 'already enrolled',
  unreachable: 'unreachable',
  failed: 'FAILED',
};

/** Counts per outcome, in a fixed order. */
export function tally(results: readonly HostResult[]): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { enrolled: 0, 'already-enrolled': 0, unreachable: 0, failed: 0 };
  for (const r of results) counts[r.outcome]++;
  return counts;
}

/** `[12/50] enrolled 9, already enrolled 1, unreachable 1, failed 1`: the progress line on a TTY. */
export function progressLine(done: readonly HostResult[], total: number): string {
  const c = tally(done);
  return `[${done.length}/${total}] enrolled ${c.enrolled}, already enrolled ${c['already-enrolled']}, unreachable ${c.unreachable}, failed ${c.failed}`;
}

/** The final table, one row per host in the order of the hosts file, then the totals. */
export function renderResultTable(results: readonly HostResult[]): string {
  const rows = results.map((r) => [
    r.target.label,
    LABEL[r.outcome],
    r.deviceId ?? '-',
    `${r.seconds.toFixed(1)} s`,
    r.detail.replace(/\s+/g, ' ').trim(),
  ]);
  const header = ['HOST', 'RESULT', 'DEVICE', 'TIME', 'DETAIL'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const fmt = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const c = tally(results);
  return `${[fmt(header), ...rows.map(fmt)].join('\n')}\n\n${results.length} host(s): ${c.enrolled} enrolled, ${c['already-enrolled']} already enrolled, ${c.unreachable} unreachable, ${c.failed} failed\n`;
}

/** 0 when every host is enrolled (now or before), 1 when any is unreachable or failed. */
export function exitCodeOf(results: readonly HostResult[]): number {
  return results.some((r) => r.outcome === 'failed' || r.outcome === 'unreachable') ? 1 : 0;
}
