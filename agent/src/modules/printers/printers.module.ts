import { type PrinterSettings, type PrintersSettings, printersSettingsSchema } from '@bascule/protocol';
import type { ConfigModule, ModuleRecords, PlannedStep, Wait } from '../../config/config-module.js';
import type { CupsClient } from './cups-client.js';
import { driverKindOf } from './cups-output.js';

/** One queue as seen on the machine. */
export interface ObservedQueue {
  name: string;
  uri: string;
  makeAndModel: string;
  driver: 'everywhere' | 'raw' | 'ppd';
  description: string;
  location: string;
  /**
   * The driver's defaults (PPD `Duplex`, `ColorModel`, `PageSize`) in IPP terms; an option the driver
   * does not have is absent. A raw queue has none: the job goes to the printer as it is.
   */
  options: { sides?: string; colorMode?: 'color' | 'monochrome'; media?: string };
  /** Accepting jobs and not paused. */
  enabled: boolean;
}

export interface PrintersObserved {
  /** Queues Bascule manages on this machine (its own record), a user's own queues are never among them. */
  managed: string[];
  /** The managed queues and the configured ones that exist, by name. */
  queues: Record<string, ObservedQueue>;
  default: string | null;
  /** make-and-model of each configured PPD model, null when the server has no such driver. */
  models: Record<string, string | null>;
}

/** Debian's media names (PWG 5101.1) for the paper sizes a policy can choose. */
const MEDIA: Record<NonNullable<PrinterSettings['options']['paperSize']>, string> = {
  A4: 'iso_a4_210x297mm',
  A3: 'iso_a3_297x420mm',
  A5: 'iso_a5_148x210mm',
  Letter: 'na_letter_8.5x11in',
  Legal: 'na_legal_8.5x14in',
};

/** PPD choices in IPP terms. lpadmin maps the other way itself (`-o sides=…` marks the PPD's Duplex). */
const SIDES_OF_DUPLEX: Record<string, string> = {
  None: 'one-sided',
  DuplexNoTumble: 'two-sided-long-edge',
  DuplexTumble: 'two-sided-short-edge',
};
const MONOCHROME_MODELS = /^(gray|grey|fastgray|mono|monochrome|grayscale|kgray|black)$/i;

function ippOptionsOf(ppd: Map<string, string>): ObservedQueue['options'] {
  const out: ObservedQueue['options'] = {};
  const duplex = ppd.get('Duplex');
  if (duplex !== undefined && SIDES_OF_DUPLEX[duplex]) out.sides = SIDES_OF_DUPLEX[duplex];
  const color = ppd.get('ColorModel');
  if (color !== undefined) out.colorMode = MONOCHROME_MODELS.test(color) ? 'monochrome' : 'color';
  const page = ppd.get('PageSize');
  const media = Object.entries(MEDIA).find(([size]) => size.toLowerCase() === page?.toLowerCase());
  if (media) out.media = media[1];
  else if (page !== undefined) out.media = page;
  return out;
}

const DUPLEX_TEXT = {
  'one-sided': 'one-sided',
  'two-sided-long-edge': 'two-sided (long edge)',
  'two-sided-short-edge': 'two-sided (short edge)',
} as const;

const RECORD = 'managed-queues';

export interface PrintersModuleOptions {
  /** How long cupsd may take to make an IPP Everywhere driver (it asks the printer); default 30 s. */
  driverTimeoutMs?: number;
  pollMs?: number;
}

/**
 * `printers`: CUPS queues through lpadmin/lpoptions/lpstat. The queues Bascule created are recorded in
 * the state directory (`config/printers-managed-queues.json`); only those are ever removed. An IPP
 * Everywhere queue is checked after creation: `lpadmin -m everywhere` exits 0 even when the printer
 * did not answer, and CUPS then leaves a raw queue ("Local Raw Printer") instead of the generated PPD
 * ("<model> - IPP Everywhere").
 */
export class PrintersModule implements ConfigModule<PrintersSettings, PrintersObserved> {
  readonly name = 'printers' as const;
  readonly tools = { lpadmin: 'cups-client', lpstat: 'cups-client', lpoptions: 'cups-client', lpinfo: 'cups-client' };
  private readonly driverTimeoutMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly cups: CupsClient,
    private readonly records: ModuleRecords,
    private readonly wait: Wait,
    options: PrintersModuleOptions = {},
  ) {
    this.driverTimeoutMs = options.driverTimeoutMs ?? 30_000;
    this.pollMs = options.pollMs ?? 500;
  }

  parse(settings: unknown): PrintersSettings {
    return printersSettingsSchema.parse(settings);
  }

  async observe(settings: PrintersSettings | undefined): Promise<PrintersObserved> {
    const managed = this.managed();
    const devices = await this.cups.queues();
    const wanted = new Set([...managed, ...(settings?.printers ?? []).map((p) => p.name)]);
    const queues: Record<string, ObservedQueue> = {};
    for (const name of wanted) {
      const uri = devices.get(name);
      if (uri !== undefined) queues[name] = await this.observeQueue(name);
    }
    const ppdModels = (settings?.printers ?? []).flatMap((p) => (p.driver.kind === 'ppd' ? [p.driver.model] : []));
    const models: Record<string, string | null> = {};
    if (ppdModels.length > 0) {
      const known = await this.cups.models();
      for (const m of ppdModels) models[m] = known.get(m) ?? null;
    }
    return { managed, queues, default: await this.cups.defaultQueue(), models };
  }

  plan(settings: PrintersSettings, observed: PrintersObserved): PlannedStep[] {
    const steps: PlannedStep[] = [];
    for (const p of settings.printers) {
      const q = observed.queues[p.name];
      const rebuild = !q || q.uri !== p.uri || !this.driverMatches(p, q, observed);
      if (rebuild) steps.push(this.setUpStep(p, q, observed));
      else {
        if (!observed.managed.includes(p.name)) {
          steps.push({
            description: `manage queue ${p.name}, which already existed`,
            run: async () => this.remember(p.name),
          });
        }
        if (q.description !== (p.description ?? q.description) || q.location !== (p.location ?? q.location)) {
          steps.push(this.describeStep(p, q));
        }
        if (!q.enabled) steps.push(this.lpadminStep(`enable queue ${p.name}`, ['-p', p.name, '-E']));
      }
      // Options set with `-m everywhere` are lost when cupsd writes the PPD: always set after a rebuild.
      // A raw queue has no driver to hold them.
      const options = p.driver.kind === 'raw' ? { args: [], text: [] } : this.optionArgs(p, rebuild ? undefined : q);
      if (options.args.length > 0) {
        steps.push(this.lpadminStep(`set ${options.text.join(', ')} on ${p.name}`, ['-p', p.name, ...options.args]));
      }
    }
    if (settings.default !== undefined && observed.default !== settings.default) {
      steps.push(this.lpadminStep(`make ${settings.default} the default printer`, ['-d', settings.default]));
    }
    const wanted = new Set(settings.printers.map((p) => p.name));
    steps.push(...this.removeSteps(observed, (name) => !wanted.has(name)));
    return steps;
  }

  verify(settings: PrintersSettings, observed: PrintersObserved): string[] {
    const problems: string[] = [];
    for (const p of settings.printers) {
      const q = observed.queues[p.name];
      if (!q) {
        problems.push(`queue ${p.name} does not exist`);
        continue;
      }
      if (q.uri !== p.uri) problems.push(`queue ${p.name} prints to ${q.uri}, not ${p.uri}`);
      if (!this.driverMatches(p, q, observed)) problems.push(`queue ${p.name}: ${this.driverProblem(p, q)}`);
      if (p.description !== undefined && q.description !== p.description)
        problems.push(`queue ${p.name}: description is "${q.description}"`);
      if (p.location !== undefined && q.location !== p.location)
        problems.push(`queue ${p.name}: location is "${q.location}"`);
      if (!q.enabled) problems.push(`queue ${p.name} is paused or rejects jobs`);
      const left = p.driver.kind === 'raw' ? { args: [], text: [] } : this.optionArgs(p, q);
      if (left.args.length > 0) {
        problems.push(`queue ${p.name}: the printer's driver did not take ${left.text.join(', ')} (not supported?)`);
      }
    }
    if (settings.default !== undefined && observed.default !== settings.default) {
      problems.push(`the default printer is ${observed.default ?? 'not set'}, not ${settings.default}`);
    }
    return problems;
  }

  release(observed: PrintersObserved): PlannedStep[] {
    return this.removeSteps(observed, () => true);
  }

  reportable(observed: PrintersObserved): unknown {
    return {
      default: observed.default,
      queues: Object.values(observed.queues).map((q) => ({
        name: q.name,
        uri: q.uri,
        driver: q.driver,
        makeAndModel: q.makeAndModel,
        description: q.description,
        location: q.location,
        options: q.options,
        enabled: q.enabled,
        managed: observed.managed.includes(q.name),
      })),
    };
  }

  secrets(): string[] {
    return [];
  }

  fingerprint(settings: PrintersSettings): unknown {
    return settings;
  }

  private async observeQueue(name: string): Promise<ObservedQueue> {
    const a = await this.cups.attributes(name);
    const makeAndModel = a['printer-make-and-model'] ?? '';
    const ppd = driverKindOf(makeAndModel) === 'raw' ? null : await this.cups.ppdDefaults(name);
    return {
      name,
      uri: a['device-uri'] ?? '',
      makeAndModel,
      driver: driverKindOf(makeAndModel),
      description: a['printer-info'] ?? '',
      location: a['printer-location'] ?? '',
      options: ppd ? ippOptionsOf(ppd) : {},
      // printer-state 5 is "stopped" (cupsdisable).
      enabled: a['printer-is-accepting-jobs'] !== 'false' && a['printer-state'] !== '5',
    };
  }

  private driverMatches(p: PrinterSettings, q: ObservedQueue, observed: PrintersObserved): boolean {
    switch (p.driver.kind) {
      case 'everywhere':
        return q.driver === 'everywhere';
      case 'raw':
        return q.driver === 'raw';
      case 'ppd': {
        const expected = observed.models[p.driver.model];
        return expected !== null && expected !== undefined && q.makeAndModel === expected;
      }
    }
  }

  private driverProblem(p: PrinterSettings, q: ObservedQueue): string {
    if (p.driver.kind === 'everywhere') {
      return `no IPP Everywhere driver (CUPS shows "${q.makeAndModel}"): the printer at ${p.uri} did not answer CUPS; is it on, reachable and IPP Everywhere capable?`;
    }
    return `the driver is "${q.makeAndModel}", not ${p.driver.kind === 'ppd' ? p.driver.model : 'raw'}`;
  }

  /** Creates the queue, or sets it up again (new URI or driver). */
  private setUpStep(p: PrinterSettings, q: ObservedQueue | undefined, observed: PrintersObserved): PlannedStep {
    const driverText =
      p.driver.kind === 'everywhere'
        ? 'IPP Everywhere driver'
        : p.driver.kind === 'ppd'
          ? `driver ${p.driver.model}`
          : 'no driver (raw)';
    const why = !q ? '' : q.uri !== p.uri ? ` (URI was ${q.uri})` : ` (driver was "${q.makeAndModel}")`;
    const description = `${q ? 'set up queue' : 'create queue'} ${p.name}${q ? ' again' : ''}${why}`;
    const model = p.driver.kind === 'everywhere' ? 'everywhere' : p.driver.kind === 'ppd' ? p.driver.model : 'raw';
    const args = ['-p', p.name, '-E', '-v', p.uri, '-m', model];
    if (p.description !== undefined) args.push('-D', p.description);
    if (p.location !== undefined) args.push('-L', p.location);
    return {
      description: `${description}: ${driverText}, ${p.uri}`,
      run: async () => {
        if (p.driver.kind === 'ppd' && !observed.models[p.driver.model]) {
          throw new Error(
            `driver ${p.driver.model} is not installed on this desktop (lpinfo -m does not list it): install the vendor's driver package first`,
          );
        }
        this.remember(p.name);
        await this.cups.lpadmin(args);
        if (p.driver.kind === 'everywhere') await this.awaitEverywhereDriver(p);
      },
    };
  }

  /** cupsd writes the IPP Everywhere PPD after lpadmin returned: wait for it, or for the timeout. */
  private async awaitEverywhereDriver(p: PrinterSettings): Promise<void> {
    let makeAndModel = '';
    for (let waited = 0; ; waited += this.pollMs) {
      makeAndModel = (await this.cups.attributes(p.name))['printer-make-and-model'] ?? '';
      if (driverKindOf(makeAndModel) === 'everywhere') return;
      if (waited >= this.driverTimeoutMs) break;
      await this.wait(this.pollMs);
    }
    throw new Error(
      `queue ${p.name} got no IPP Everywhere driver within ${Math.round(this.driverTimeoutMs / 1000)} s (CUPS shows "${makeAndModel}"): the printer at ${p.uri} did not answer; is it on, reachable and IPP Everywhere capable?`,
    );
  }

  private describeStep(p: PrinterSettings, q: ObservedQueue): PlannedStep {
    const args = ['-p', p.name];
    const text: string[] = [];
    if (p.description !== undefined && p.description !== q.description) {
      args.push('-D', p.description);
      text.push(`description "${p.description}"`);
    }
    if (p.location !== undefined && p.location !== q.location) {
      args.push('-L', p.location);
      text.push(`location "${p.location}"`);
    }
    return this.lpadminStep(`set ${text.join(' and ')} on ${p.name}`, args);
  }

  /** lpadmin `-o` arguments for the options that differ from `q` (all of them without `q`). */
  private optionArgs(p: PrinterSettings, q: ObservedQueue | undefined): { args: string[]; text: string[] } {
    const args: string[] = [];
    const text: string[] = [];
    const { duplex, color, paperSize } = p.options;
    if (duplex !== undefined && q?.options.sides !== duplex) {
      args.push('-o', `sides=${duplex}`);
      text.push(DUPLEX_TEXT[duplex]);
    }
    if (color !== undefined) {
      const mode = color ? 'color' : 'monochrome';
      if (q?.options.colorMode !== mode) {
        args.push('-o', `print-color-mode=${mode}`);
        text.push(mode === 'color' ? 'colour' : 'black and white');
      }
    }
    if (paperSize !== undefined && q?.options.media !== MEDIA[paperSize]) {
      args.push('-o', `media=${MEDIA[paperSize]}`);
      text.push(`paper ${paperSize}`);
    }
    return { args, text };
  }

  private removeSteps(observed: PrintersObserved, remove: (name: string) => boolean): PlannedStep[] {
    return observed.managed.filter(remove).map((name) => ({
      description: observed.queues[name]
        ? `remove queue ${name} (no longer in the policy)`
        : `forget queue ${name} (already removed by someone else)`,
      run: async () => {
        if (observed.queues[name]) await this.cups.lpadmin(['-x', name]);
        this.forget(name);
      },
    }));
  }

  private lpadminStep(description: string, args: string[]): PlannedStep {
    return { description, run: () => this.cups.lpadmin(args) };
  }

  private managed(): string[] {
    return this.records.read<string[]>(this.name, RECORD) ?? [];
  }

  /** Recorded before lpadmin runs, so a queue half made is still ours to fix or remove. */
  private remember(name: string): void {
    const managed = this.managed();
    if (!managed.includes(name)) this.records.write(this.name, RECORD, [...managed, name].sort());
  }

  private forget(name: string): void {
    this.records.write(
      this.name,
      RECORD,
      this.managed().filter((n) => n !== name),
    );
  }
}
