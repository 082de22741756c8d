import { readFileSync } from 'node:fs';

/** The kernel's id of this boot (/proc/sys/kernel/random/boot_id): a new one means counters started again. */
export function readBootId(): string {
  return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
}
