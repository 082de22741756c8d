import type { PrintersSettings } from '@bascule/protocol';
import { describe, expect, it } from 'vitest';
import type { ModuleRecords } from '../../config/config-module.js';
import { FakeCommandRunner } from '../../system/fake-command-runner.js';
import { CupsClient } from './cups-client.js';
import { driverKindOf, parseLpoptions, parseLpstatDevices, parsePpdDefaults } from './cups-output.js';
import { PrintersModule, type PrintersObserved } from './printers.module.js';

// Recorded from cupsd 2.4.2 (Debian 12) with ippeveprinter -2 as the printer (test-rigs.md).
const LPSTAT_V = `device for Accueil: ipp://localhost:8633/ipp/print
device for Perso: ///dev/null
`;
const LPOPTIONS_EVERYWHERE =
  "copies=1 device-uri=ipp://localhost:8633/ipp/print finishings=3 job-cancel-after=10800 job-hold-until=no-hold job-priority=50 job-sheets=none,none marker-change-time=0 number-up=1 print-color-mode=monochrome printer-commands=none printer-info='Accueil (RDC)' printer-is-accepting-jobs=true printer-is-shared=true printer-is-temporary=false printer-location=Rez-de-chaussée printer-make-and-model='Printer - IPP Everywhere' printer-state=3 printer-state-change-time=1795622164 printer-state-reasons=none printer-type=4180 printer-uri-supported=ipp://localhost:8651/printers/Accueil\n";
// The same queue a moment after `lpadmin -m everywhere` (PPD not written yet), or for good when the
// printer did not answer.
const LPOPTIONS_RAW =
  "copies=1 device-uri=ipp://localhost:8699/ipp/print finishings=3 job-cancel-after=10800 job-hold-until=no-hold job-priority=50 job-sheets=none,none marker-change-time=0 number-up=1 print-color-mode=monochrome printer-info=Couloir printer-is-accepting-jobs=true printer-is-shared=true printer-is-temporary=false printer-location='' printer-make-and-model='Local Raw Printer' printer-state=3 printer-state-change-time=1795621073 printer-state-reasons=none printer-type=4 printer-uri-supported=ipp://localhost:8631/printers/Couloir\n";
const LPOPTIONS_L = `PageSize/Media Size: *A4 Env10 EnvDL Legal Letter
InputSlot/Media Source: Auto *Main Manual ByPassTray
MediaType/Media Type: Auto Cardstock Envelope Labels Other *Stationery StationeryLetterhead Transparency
cupsPrintQuality/cupsPrintQuality: Draft *Normal High
ColorModel/Output Mode: FastGray *Gray
Duplex/Duplex: None *DuplexNoTumble DuplexTumble
OutputBin/OutputBin: *FaceDown
cupsFinishingTemplate/cupsFinishingTemplate: *none
`;
const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });

class MemoryRecords implements ModuleRecords {
  readonly data = new Map<string, unknown>();
  read<T>(module: string, name: string): T | null {
    return (this.data.get(`${module}/${name}`) as T) ?? null;
  }
  write(module: string, name: string, value: unknown): void {
    this.data.set(`${module}/${name}`, value);
  }
}

const accueil: PrintersSettings['printers'][number] = {
  name: 'Accueil',
  uri: 'ipp://localhost:8633/ipp/print',
  driver: { kind: 'everywhere' },
  description: 'Accueil (RDC)',
  location: 'Rez-de-chaussée',
  options: { duplex: 'two-sided-long-edge', paperSize: 'A4', color: false },
};

/** A cupsd that has Accueil (as recorded) and, optionally, other queues. */
function cupsWith(queues: Record<string, string>, defaultQueue = 'Accueil') {
  const lpadmin: string[][] = [];
  const runner = new FakeCommandRunner({
    lpstat: (args) =>
      args.includes('-v')
        ? ok(
            Object.keys(queues)
              .map((q) =>
                q === 'Accueil' ? 'device for Accueil: ipp://localhost:8633/ipp/print' : `device for ${q}: x`,
              )
              .join('\n'),
          )
        : ok(`system default destination: ${defaultQueue}\n`),
    lpoptions: (args) => {
      const q = args[args.indexOf('-p') + 1] ?? '';
      if (args.includes('-l'))
        return queues[q] === LPOPTIONS_RAW
          ? { stdout: '', stderr: 'lpoptions: Unable to get PPD file for x: Not Found', exitCode: 1 }
          : ok(LPOPTIONS_L);
      return ok(queues[q] ?? '');
    },
    lpadmin: (args) => {
      lpadmin.push([...args]);
      // cupsd writes the IPP Everywhere PPD of a printer that answers (nothing answers on port 8699).
      const name = args[args.indexOf('-p') + 1];
      const answers = !args.some((a) => a.includes(':8699/'));
      if (name && args.includes('everywhere')) queues[name] = answers ? LPOPTIONS_EVERYWHERE : LPOPTIONS_RAW;
      return ok('');
    },
  });
  return { runner, lpadmin };
}

describe('CUPS output parsers', () => {
  it('reads queues, quoted attributes, PPD defaults and the driver kind', () => {
    expect([...parseLpstatDevices(LPSTAT_V)]).toEqual([
      ['Accueil', 'ipp://localhost:8633/ipp/print'],
      ['Perso', '///dev/null'],
    ]);
    const a = parseLpoptions(LPOPTIONS_EVERYWHERE);
    expect(a['printer-info']).toBe('Accueil (RDC)');
    expect(a['printer-location']).toBe('Rez-de-chaussée');
    expect(a['printer-make-and-model']).toBe('Printer - IPP Everywhere');
    // CUPS does not escape quotes inside a quoted value.
    expect(parseLpoptions("printer-info='Bob's \"best\" printer' printer-location='a=b c' x=1")).toEqual({
      'printer-info': 'Bob\'s "best" printer',
      'printer-location': 'a=b c',
      x: '1',
    });
    expect(Object.fromEntries(parsePpdDefaults(LPOPTIONS_L))).toMatchObject({
      PageSize: 'A4',
      Duplex: 'DuplexNoTumble',
      ColorModel: 'Gray',
    });
    expect(driverKindOf('Printer - IPP Everywhere')).toBe('everywhere');
    expect(driverKindOf('Local Raw Printer')).toBe('raw');
    // A PPD from cups-filters named "Generic IPP Everywhere Printer" is a PPD, not a driverless queue.
    expect(driverKindOf('Generic IPP Everywhere Printer')).toBe('ppd');
  });
});

describe('PrintersModule', () => {
  const wait = async () => {};

  it('observes a managed queue with its driver and options, and plans nothing when it matches', async () => {
    const { runner } = cupsWith({ Accueil: LPOPTIONS_EVERYWHERE });
    const records = new MemoryRecords();
    records.write('printers', 'managed-queues', ['Accueil']);
    const m = new PrintersModule(new CupsClient(runner, '127.0.0.1:8631'), records, wait);
    const settings = m.parse({ printers: [accueil], default: 'Accueil' });
    const observed = await m.observe(settings);
    expect(observed.queues.Accueil).toEqual({
      name: 'Accueil',
      uri: 'ipp://localhost:8633/ipp/print',
      makeAndModel: 'Printer - IPP Everywhere',
      driver: 'everywhere',
      description: 'Accueil (RDC)',
      location: 'Rez-de-chaussée',
      options: { sides: 'two-sided-long-edge', colorMode: 'monochrome', media: 'iso_a4_210x297mm' },
      enabled: true,
    });
    expect(m.plan(settings, observed)).toEqual([]);
    expect(m.verify(settings, observed)).toEqual([]);
    // Every command went to the configured server.
    expect(runner.calls.every((c) => c.args[0] === '-h' && c.args[1] === '127.0.0.1:8631')).toBe(true);
  });

  it('plans a create, then the options (lost if given with -m everywhere), then the default', async () => {
    const { runner, lpadmin } = cupsWith({});
    const records = new MemoryRecords();
    const m = new PrintersModule(new CupsClient(runner), records, wait);
    const settings = m.parse({ printers: [accueil], default: 'Accueil' });
    const observed: PrintersObserved = { managed: [], queues: {}, default: null, models: {} };
    const steps = m.plan(settings, observed);
    expect(steps.map((s) => s.description)).toEqual([
      'create queue Accueil: IPP Everywhere driver, ipp://localhost:8633/ipp/print',
      'set two-sided (long edge), black and white, paper A4 on Accueil',
      'make Accueil the default printer',
    ]);
    // The create step waits for the driver: here cupsd "answers" with the generated PPD.
    await steps[0]?.run();
    expect(lpadmin[0]).toEqual([
      '-p',
      'Accueil',
      '-E',
      '-v',
      'ipp://localhost:8633/ipp/print',
      '-m',
      'everywhere',
      '-D',
      'Accueil (RDC)',
      '-L',
      'Rez-de-chaussée',
    ]);
    expect(records.read('printers', 'managed-queues')).toEqual(['Accueil']);
  });

  it('fails the create step when CUPS made a raw queue instead of an IPP Everywhere driver', async () => {
    const { runner } = cupsWith({ Accueil: LPOPTIONS_RAW });
    let waited = 0;
    const m = new PrintersModule(
      new CupsClient(runner),
      new MemoryRecords(),
      async (ms) => {
        waited += ms;
      },
      {
        driverTimeoutMs: 2000,
        pollMs: 500,
      },
    );
    const settings = m.parse({ printers: [{ ...accueil, uri: 'ipp://localhost:8699/ipp/print' }] });
    const [create] = m.plan(settings, { managed: [], queues: {}, default: null, models: {} });
    await expect(create?.run()).rejects.toThrow(
      /queue Accueil got no IPP Everywhere driver within 2 s \(CUPS shows "Local Raw Printer"\): the printer at ipp:\/\/localhost:8699\/ipp\/print did not answer/,
    );
    expect(waited).toBe(2000);
  });

  it('re-creates a queue whose driver turned raw, and re-enables a paused one', async () => {
    const { runner } = cupsWith({ Accueil: LPOPTIONS_RAW.replace('8699', '8633') });
    const m = new PrintersModule(new CupsClient(runner), new MemoryRecords(), wait);
    const settings = m.parse({ printers: [accueil] });
    const observed = await m.observe(settings);
    expect(m.plan(settings, observed).map((s) => s.description)[0]).toBe(
      'set up queue Accueil again (driver was "Local Raw Printer"): IPP Everywhere driver, ipp://localhost:8633/ipp/print',
    );
    const paused = cupsWith({ Accueil: LPOPTIONS_EVERYWHERE.replace('printer-state=3', 'printer-state=5') });
    const m2 = new PrintersModule(new CupsClient(paused.runner), new MemoryRecords(), wait);
    const steps = m2.plan(settings, await m2.observe(settings)).map((s) => s.description);
    expect(steps).toEqual(['manage queue Accueil, which already existed', 'enable queue Accueil']);
  });

  it("removes only the queues it manages, never the user's own", async () => {
    const { runner, lpadmin } = cupsWith({ Accueil: LPOPTIONS_EVERYWHERE, Perso: LPOPTIONS_RAW });
    const records = new MemoryRecords();
    records.write('printers', 'managed-queues', ['Accueil']);
    const m = new PrintersModule(new CupsClient(runner), records, wait);
    const settings = m.parse({ printers: [] });
    const steps = m.plan(settings, await m.observe(settings));
    expect(steps.map((s) => s.description)).toEqual(['remove queue Accueil (no longer in the policy)']);
    for (const s of steps) await s.run();
    expect(lpadmin).toEqual([['-x', 'Accueil']]);
    expect(records.read('printers', 'managed-queues')).toEqual([]);
  });

  it('says which driver is missing for a PPD queue, before calling lpadmin', async () => {
    const withLpinfo = new FakeCommandRunner({
      lpinfo: () => ok('drv:///sample.drv/generic.ppd Generic PostScript Printer\n'),
    });
    const m = new PrintersModule(new CupsClient(withLpinfo), new MemoryRecords(), wait);
    const settings = m.parse({
      printers: [{ name: 'Kyo', uri: 'socket://10.0.0.9', driver: { kind: 'ppd', model: 'kyocera/TASKalfa.ppd' } }],
    });
    const observed: PrintersObserved = {
      managed: [],
      queues: {},
      default: null,
      models: { 'kyocera/TASKalfa.ppd': null },
    };
    const [create] = m.plan(settings, observed);
    await expect(create?.run()).rejects.toThrow(/driver kyocera\/TASKalfa\.ppd is not installed on this desktop/);
    expect(withLpinfo.calls).toEqual([]);
  });
});
