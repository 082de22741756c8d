// Summarises a V8 .heapsnapshot: self size by node type, and the largest constructors/strings,
// to say what an agent's heap holds. Usage: node heap-summary.mjs FILE.heapsnapshot [TOP]
import { readFileSync } from 'node:fs';

const [file, top = '20'] = process.argv.slice(2);
const snap = JSON.parse(readFileSync(file, 'utf8'));
const { node_fields: fields, node_types: types } = snap.snapshot.meta;
const width = fields.length;
const iType = fields.indexOf('type');
const iName = fields.indexOf('name');
const iSize = fields.indexOf('self_size');
const typeNames = types[iType];
const byType = new Map();
const byName = new Map();
let total = 0;
for (let i = 0; i < snap.nodes.length; i += width) {
  const type = typeNames[snap.nodes[i + iType]];
  const size = snap.nodes[i + iSize];
  const name = type === 'string' || type === 'concatenated string' ? '(string)' : snap.strings[snap.nodes[i + iName]];
  total += size;
  byType.set(type, (byType.get(type) ?? 0) + size);
  const key = `${type}: ${name.slice(0, 60)}`;
  byName.set(key, (byName.get(key) ?? 0) + size);
}
const mb = (b) => (b / 1048576).toFixed(2).padStart(7);
console.log(`total self size ${mb(total)} MiB`);
for (const [k, v] of [...byType].sort((a, b) => b[1] - a[1])) console.log(`${mb(v)}  ${k}`);
console.log('---');
for (const [k, v] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${mb(v)}  ${k}`);
