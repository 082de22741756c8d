import type { Monitor } from '@bascule/protocol';
import { UnreadableOutputError } from './key-value.js';

const HEADER = Buffer.from([0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]);

/**
 * The identity of a display from its EDID base block (VESA E-EDID 1.3/1.4): PNP manufacturer id,
 * product code, serial (the text descriptor 0xFF when present, else the 32-bit number), model name
 * (descriptor 0xFC), year of manufacture. Throws on a blob that is not an EDID.
 */
export function parseEdid(edid: Buffer, connector?: string): Monitor {
  if (edid.length < 128 || !edid.subarray(0, 8).equals(HEADER)) {
    throw new UnreadableOutputError('edid', `not an EDID (${edid.length} bytes)`, edid.subarray(0, 16).toString('hex'));
  }
  const sum = edid.subarray(0, 128).reduce((a, b) => a + b, 0);
  if (sum % 256 !== 0) throw new UnreadableOutputError('edid', 'bad checksum', edid.subarray(0, 16).toString('hex'));
  const id = edid.readUInt16BE(8);
  const letter = (n: number) => String.fromCharCode(64 + (n & 0x1f));
  const manufacturer = letter(id >> 10) + letter(id >> 5) + letter(id);
  const productCode = edid.readUInt16LE(10);
  const serialNumber = edid.readUInt32LE(12);
  const year = edid[17] ? 1990 + (edid[17] as number) : undefined;
  let model: string | undefined;
  let serialText: string | undefined;
  for (let off = 54; off <= 108; off += 18) {
    // A display descriptor starts with 0x0000 (a detailed timing does not).
    if (edid.readUInt16LE(off) !== 0) continue;
    const tag = edid[off + 3];
    const value = edid
      .subarray(off + 5, off + 18)
      .toString('latin1')
      .split('\n')[0]
      ?.trim();
    if (!value) continue;
    if (tag === 0xfc) model = value;
    if (tag === 0xff) serialText = value;
  }
  return {
    ...(connector ? { connector } : {}),
    manufacturer,
    ...(model ? { model } : {}),
    ...(serialText ? { serial: serialText } : serialNumber ? { serial: String(serialNumber) } : {}),
    productCode,
    ...(year ? { manufactureYear: year } : {}),
  };
}
