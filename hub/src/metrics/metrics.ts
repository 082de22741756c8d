/**
 * Counters, histograms and gauges exposed at `/metrics` in the Prometheus text format (version 0.0.4).
 * Created once per hub and passed to whoever counts (no global registry). Gauges are read when scraped:
 * a gauge is either one number or a set of labelled samples, and may come from the database (async).
 */
export type Labels = Record<string, string>;

export interface GaugeSample {
  labels: Labels;
  value: number;
}

type GaugeRead = () => number | GaugeSample[] | Promise<number | GaugeSample[]>;

interface HistogramSeries {
  counts: number[];
  sum: number;
  count: number;
}

interface Histogram {
  buckets: number[];
  series: Map<string, HistogramSeries>;
}

/** Seconds: from a millisecond (an SQLite write) to ten seconds (a stalled disk). */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly histograms = new Map<string, Histogram>();
  private readonly gauges = new Map<string, GaugeRead>();
  private readonly help = new Map<string, string>();

  describe(name: string, help: string): void {
    this.help.set(name, help);
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    const series = this.counters.get(name) ?? new Map<string, number>();
    const key = labelKey(labels);
    series.set(key, (series.get(key) ?? 0) + by);
    this.counters.set(name, series);
  }

  /** One observation (in seconds for durations) into a histogram with the given upper bounds. */
  observe(name: string, labels: Labels, value: number, buckets: number[] = LATENCY_BUCKETS): void {
    const histogram = this.histograms.get(name) ?? { buckets, series: new Map<string, HistogramSeries>() };
    this.histograms.set(name, histogram);
    const key = labelKey(labels);
    const series = histogram.series.get(key) ?? { counts: histogram.buckets.map(() => 0), sum: 0, count: 0 };
    histogram.series.set(key, series);
    histogram.buckets.forEach((le, i) => {
      if (value <= le) series.counts[i] = (series.counts[i] ?? 0) + 1;
    });
    series.sum += value;
    series.count += 1;
  }

  /** A gauge read when scraped: one number, or labelled samples. */
  gauge(name: string, read: GaugeRead): void {
    this.gauges.set(name, read);
  }

  /**
   * The exposition text. A gauge whose read fails is left out with a comment naming the error, so one
   * broken source (a locked database) does not hide the others.
   */
  async render(): Promise<string> {
    const lines: string[] = [];
    for (const [name, series] of this.counters) {
      lines.push(...this.header(name, 'counter'));
      for (const [key, value] of series) lines.push(`${name}${key} ${value}`);
    }
    for (const [name, h] of this.histograms) {
      lines.push(...this.header(name, 'histogram'));
      for (const [key, s] of h.series) {
        h.buckets.forEach((le, i) => {
          lines.push(`${name}_bucket${withLabel(key, 'le', String(le))} ${s.counts[i]}`);
        });
        lines.push(`${name}_bucket${withLabel(key, 'le', '+Inf')} ${s.count}`);
        lines.push(`${name}_sum${key} ${s.sum}`, `${name}_count${key} ${s.count}`);
      }
    }
    const reads = await Promise.all(
      [...this.gauges].map(async ([name, read]) => {
        try {
          return { name, value: await read() };
        } catch (err) {
          return { name, error: (err as Error).message };
        }
      }),
    );
    for (const r of reads) {
      if ('error' in r) {
        lines.push(`# ${r.name} not read: ${String(r.error).replace(/\n/g, ' ')}`);
        continue;
      }
      lines.push(...this.header(r.name, 'gauge'));
      if (typeof r.value === 'number') lines.push(`${r.name} ${r.value}`);
      else for (const s of r.value) lines.push(`${r.name}${labelKey(s.labels)} ${s.value}`);
    }
    return `${lines.join('\n')}\n`;
  }

  private header(name: string, type: 'counter' | 'gauge' | 'histogram'): string[] {
    return [`# HELP ${name} ${this.help.get(name) ?? name}`, `# TYPE ${name} ${type}`];
  }
}

function escapeValue(v: string): string {
  return v.replace(/["\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

function labelKey(labels: Labels): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeValue(v)}"`).join(',')}}`;
}

/** `{a="1"}` + le → `{a="1",le="0.5"}`; `` + le → `{le="0.5"}`. */
function withLabel(key: string, name: string, value: string): string {
  const label = `${name}="${escapeValue(value)}"`;
  return key === '' ? `{${label}}` : `${key.slice(0, -1)},${label}}`;
}
