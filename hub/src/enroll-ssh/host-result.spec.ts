import { describe, expect, it } from 'vitest';
import { exitCodeOf, type HostResult, progressLine, renderResultTable } from './host-result.js';

const r = (
  label: string,
  outcome: HostResult['outcome'],
  detail: string,
  deviceId: string | null = null,
): HostResult => ({
  target: { host: label.split(':')[0] as string, port: 22, label },
  outcome,
  deviceId,
  detail,
  seconds: 1.25,
});

describe('result table', () => {
  const results = [
    r('pc-01:22', 'enrolled', 'bascule-agent 0.1.0 installed and enrolled', '01JD0000000000000000000001'),
    r('pc-02:22', 'already-enrolled', 'the agent is already enrolled here', '01JD0000000000000000000002'),
    r('pc-03:22', 'unreachable', 'ECONNREFUSED: connect ECONNREFUSED 10.0.0.3:22'),
    r('pc-04.ville.local:22', 'failed', 'sudo needs a password for it\n(sudo: a password is required)'),
  ];

  it('has one aligned row per host, in order, and the totals', () => {
    const lines = renderResultTable(results).split('\n');
    expect(lines[0]).toMatch(/^HOST {2,}RESULT {2,}DEVICE {2,}TIME {2,}DETAIL$/);
    expect(lines[1]).toMatch(/^pc-01:22 +enrolled +01JD0000000000000000000001 +1\.3 s +bascule-agent 0\.1\.0/);
    expect(lines[2]).toMatch(/^pc-02:22 +already enrolled +01JD0000000000000000000002/);
    expect(lines[3]).toMatch(/^pc-03:22 +unreachable +- +1\.3 s +ECONNREFUSED/);
    expect(lines[4]).toMatch(/^pc-04\.ville\.local:22 +FAILED +- .*for it \(sudo: a password is required\)$/);
    const columns = lines
      .slice(0, 5)
      .map((l) => l.indexOf(l.includes('HOST') ? 'RESULT' : (l.split(/ {2,}/)[1] as string)));
    expect(new Set(columns).size).toBe(1);
    expect(lines.at(-2)).toBe('4 host(s): 1 enrolled, 1 already enrolled, 1 unreachable, 1 failed');
  });

  it('progress line and exit code', () => {
    expect(progressLine(results.slice(0, 3), 50)).toBe(
      '[3/50] enrolled 1, already enrolled 1, unreachable 1, failed 0',
    );
    expect(exitCodeOf(results.slice(0, 2))).toBe(0);
    expect(exitCodeOf(results.slice(0, 3))).toBe(1);
    expect(exitCodeOf(results)).toBe(1);
  });
});
