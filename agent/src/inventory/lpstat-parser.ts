import type { PrintersSection } from '@bascule/protocol';
import { UnreadableOutputError } from './key-value.js';

type Queue = PrintersSection['queues'][number];

/**
 * `lpstat -v -p -d` with CUPS's C-locale wording:
 * `device for Office: ipp://10.0.0.9/ipp/print`, `printer Office is idle.  enabled since …`,
 * `printer PDF disabled since … -`, `system default destination: Office` (or `no system default
 * destination`). Indented lines (reasons) are ignored.
 */
export function parseLpstat(stdout: string): Queue[] {
  const byName = new Map<string, Queue>();
  const queue = (name: string) => {
    let q = byName.get(name);
    if (!q) {
      q = { name, isDefault: false };
      byName.set(name, q);
    }
    return q;
  };
  let defaultName: string | undefined;
  for (const line of stdout.split('\n')) {
    if (line.trim() === '' || /^\s/.test(line)) continue;
    let m = /^device for (\S+): (.*)$/.exec(line);
    if (m) {
      queue(m[1] as string).uri = (m[2] as string).trim();
      continue;
    }
    m = /^printer (\S+) (?:is (idle|printing)|(now printing)|(disabled))\b/.exec(line);
    if (m) {
      const q = queue(m[1] as string);
      q.state = m[4] ? 'disabled' : m[2] === 'idle' ? 'idle' : 'printing';
      q.enabled = !m[4];
      continue;
    }
    m = /^system default destination: (\S+)/.exec(line);
    if (m) {
      defaultName = m[1];
      continue;
    }
    if (/^no system default destination/.test(line)) continue;
    throw new UnreadableOutputError('lpstat -v -p -d', 'unexpected line', line);
  }
  if (defaultName) queue(defaultName).isDefault = true;
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
