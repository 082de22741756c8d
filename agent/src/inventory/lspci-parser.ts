import { UnreadableOutputError } from './key-value.js';

export interface Gpu {
  vendor?: string;
  model?: string;
  driver?: string;
  busId?: string;
}

// PCI base class 03: display controllers (VGA 0300, XGA 0301, 3D 0302, other 0380).
const DISPLAY_CLASS = /\[03[0-9a-f]{2}\]\s*$/i;
const strip = (v: string | undefined) => v?.replace(/\s*\[[0-9a-f]{4}\]\s*$/i, '').trim() || undefined;

/** Display controllers from `lspci -vmm -nn -k` (blocks of `Key:\tvalue` separated by blank lines). */
export function parseLspciDisplays(stdout: string): Gpu[] {
  if (stdout.trim() !== '' && !/^Slot:/m.test(stdout)) {
    throw new UnreadableOutputError('lspci -vmm', 'no Slot: line', stdout);
  }
  const gpus: Gpu[] = [];
  for (const block of stdout.split(/\n\s*\n/)) {
    const kv = new Map<string, string>();
    for (const line of block.split('\n')) {
      const i = line.indexOf(':');
      if (i > 0) kv.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
    }
    if (!DISPLAY_CLASS.test(kv.get('Class') ?? '')) continue;
    const gpu: Gpu = {};
    const vendor = strip(kv.get('Vendor'));
    const model = strip(kv.get('Device'));
    if (vendor) gpu.vendor = vendor;
    if (model) gpu.model = model;
    if (kv.get('Driver')) gpu.driver = kv.get('Driver');
    if (kv.get('Slot')) gpu.busId = kv.get('Slot');
    gpus.push(gpu);
  }
  return gpus;
}
