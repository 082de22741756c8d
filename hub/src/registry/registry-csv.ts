/**
 * Reading the CSV files people export from Excel or GLPI: UTF-8 (with or without a BOM) or
 * Windows-1252 (what French Excel writes by default), `;` (French Excel) or `,` separated, with
 * RFC 4180 quoting (a quoted field may hold the separator, doubled quotes and line breaks).
 */
export type CsvEncoding = 'utf-8' | 'windows-1252';
export type CsvSeparator = ';' | ',' | '\t';

export interface DecodedText {
  text: string;
  encoding: CsvEncoding;
  /** True when the file started with a UTF-8 byte order mark (dropped from `text`). */
  bom: boolean;
}

const BOM = [0xef, 0xbb, 0xbf];

/** UTF-8 when the bytes are valid UTF-8 (a BOM says so too), Windows-1252 otherwise. */
export function decodeCsv(bytes: Uint8Array): DecodedText {
  const bom = bytes.length >= 3 && BOM.every((b, i) => bytes[i] === b);
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8', bom };
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    // Not UTF-8: every byte is a Windows-1252 character (the 5 unassigned ones map to C1 controls).
    return { text: new TextDecoder('windows-1252').decode(body), encoding: 'windows-1252', bom };
  }
}

/**
 * The separator of the header line: the one of `;`, `,` and tab that occurs most often outside
 * quotes (`;` wins a tie, as French Excel writes it and `,` is common inside names).
 */
export function detectSeparator(text: string): CsvSeparator {
  const counts: Record<CsvSeparator, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) counts[ch]++;
  }
  const best = (Object.keys(counts) as CsvSeparator[]).reduce((a, b) => (counts[b] > counts[a] ? b : a), ';');
  return best;
}

/** One record of the file, with the line number (1-based, header = 1) where it starts. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Splits the text into records; blank lines are skipped. An unclosed quote is an error naming its line. */
export function parseCsv(text: string, sep: CsvSeparator): CsvRecord[] {
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let fieldStarted = false;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') out.push({ line: start, fields });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === sep) {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new CsvError(`line ${start}: a quoted field is never closed (missing ")`);
  if (field !== '' || fields.length > 0) endRecord();
  return out;
}

export class CsvError extends Error {
  override name = 'CsvError';
}

/** Writes rows as CSV for French Excel: UTF-8 with a BOM (so accents survive), `;`, CRLF (docs/decisions.md). */
export function toExcelCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? '' : String(v);
    // A text starting like a formula is not run by the spreadsheet (CSV injection).
    if (/^[=+@\t\r]/.test(s) || (/^-/.test(s) && !/^-\d+([.,]\d+)?$/.test(s))) s = `'${s}`;
    return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [header, ...rows].map((r) => r.map(cell).join(';'));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
