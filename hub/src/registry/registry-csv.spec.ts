import { describe, expect, it } from 'vitest';
import { CsvError, decodeCsv, detectSeparator, parseCsv, toExcelCsv } from './registry-csv.js';
import { checkMapping, guessMapping, normalizeMac, splitMacs } from './registry-mapping.js';

/** "Numéro de série;Nom;Service\r\nSN-1;pc-élysée;Écoles\r\n" as French Excel saves it (Windows-1252). */
const cp1252 = Buffer.concat([
  Buffer.from('Num'),
  Buffer.from([0xe9]), // é
  Buffer.from('ro de s'),
  Buffer.from([0xe9]),
  Buffer.from('rie;Nom;Service\r\nSN-1;pc-'),
  Buffer.from([0xe9]),
  Buffer.from('lys'),
  Buffer.from([0xe9]),
  Buffer.from('e;'),
  Buffer.from([0xc9]), // É
  Buffer.from('coles\r\n'),
]);

describe('registry CSV reading', () => {
  it('reads a Windows-1252 file (invalid as UTF-8) with its accents', () => {
    const d = decodeCsv(cp1252);
    expect(d.encoding).toBe('windows-1252');
    expect(d.bom).toBe(false);
    const sep = detectSeparator(d.text);
    expect(sep).toBe(';');
    expect(parseCsv(d.text, sep).map((r) => r.fields)).toEqual([
      ['Numéro de série', 'Nom', 'Service'],
      ['SN-1', 'pc-élysée', 'Écoles'],
    ]);
  });

  it('reads UTF-8 with a BOM, dropping the BOM from the first column name', () => {
    const d = decodeCsv(Buffer.from('\ufeffNom,Numéro de série\npc-1,SN-1\n', 'utf8'));
    expect(d).toMatchObject({ encoding: 'utf-8', bom: true });
    expect(detectSeparator(d.text)).toBe(',');
    expect(parseCsv(d.text, ',')[0]?.fields).toEqual(['Nom', 'Numéro de série']);
  });

  it('keeps quoted separators, doubled quotes and line breaks, and numbers records by their first line', () => {
    const text = 'a;b\n"x;1";"il a dit ""oui"""\n\n"deux\nlignes";z\n';
    expect(parseCsv(text, ';')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x;1', 'il a dit "oui"'] },
      { line: 4, fields: ['deux\nlignes', 'z'] },
    ]);
    expect(() => parseCsv('a;b\n"open;x\n', ';')).toThrow(CsvError);
    expect(() => parseCsv('a;b\n"open;x\n', ';')).toThrow(/line 2/);
  });

  it('counts separators of the header only, outside quotes', () => {
    expect(detectSeparator('"Nom, prénom";Service;Poste\na,b,c,d,e;x;y')).toBe(';');
    expect(detectSeparator('Nom\tService\n')).toBe('\t');
  });

  it('writes CSV for French Excel: BOM, semicolons, CRLF, quoting, no formula', () => {
    const csv = toExcelCsv(
      ['nom', 'service'],
      [
        ['pc-1', 'Écoles; maternelles'],
        ['=HYPERLINK("x")', -3],
      ],
    );
    expect(csv).toBe('\ufeffnom;service\r\npc-1;"Écoles; maternelles"\r\n"\'=HYPERLINK(""x"")";-3\r\n');
  });
});

describe('registry column mapping', () => {
  it('finds the GLPI columns, French or English, whatever the case and accents', () => {
    const fr = [
      'Nom',
      'Entité',
      'Numéro de série',
      'Utilisateur',
      "Système d'exploitation - Nom",
      'Ports réseau - Adresse MAC',
    ];
    expect(guessMapping(fr, 'glpi')).toEqual({
      hostname: 'Nom',
      department: 'Entité',
      serial: 'Numéro de série',
      mainUser: 'Utilisateur',
      os: "Système d'exploitation - Nom",
      macs: 'Ports réseau - Adresse MAC',
    });
    expect(guessMapping(['Name', 'Entity', 'Serial number', 'User'], 'glpi')).toEqual({
      hostname: 'Name',
      department: 'Entity',
      serial: 'Serial number',
      mainUser: 'User',
    });
  });

  it('refuses a mapping to a column the file lacks, or one without serial and hostname', () => {
    expect(() => checkMapping({ serial: 'Série' }, ['Nom'])).toThrow(/no column "Série"/);
    expect(() => checkMapping({ os: 'Nom' }, ['Nom'])).toThrow(/serial number or the hostname/);
    expect(() => checkMapping({ colour: 'Nom' }, ['Nom'])).toThrow(/unknown field "colour"/);
  });

  it('normalises MACs and splits GLPI cells', () => {
    expect(normalizeMac('3C-52-82-1A-2B-3C')).toBe('3c:52:82:1a:2b:3c');
    expect(normalizeMac('3c52.821a.2b3c')).toBe('3c:52:82:1a:2b:3c');
    expect(normalizeMac('3c:52:82:1a:2b')).toBeUndefined();
    expect(splitMacs('aa:bb:cc:dd:ee:01<br>aa:bb:cc:dd:ee:02$$##$$aa:bb:cc:dd:ee:03, x')).toEqual([
      'aa:bb:cc:dd:ee:01',
      'aa:bb:cc:dd:ee:02',
      'aa:bb:cc:dd:ee:03',
      'x',
    ]);
  });
});
