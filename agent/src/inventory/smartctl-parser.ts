import type { SmartStatus } from '@bascule/protocol';
import { UnreadableOutputError } from './key-value.js';

interface SmartctlJson {
  smartctl?: { exit_status?: number; messages?: { string?: string }[] };
  smart_status?: { passed?: boolean };
  power_on_time?: { hours?: number };
  temperature?: { current?: number };
  nvme_smart_health_information_log?: { percentage_used?: number };
}

/**
 * `smartctl -j -H -A DEV`: the overall health and a few attributes, or undefined when the device
 * gives no SMART status (virtual disk, USB bridge, device gone). Throws when the output is not
 * smartctl's JSON.
 */
export function parseSmartctl(stdout: string): SmartStatus | undefined {
  let json: SmartctlJson;
  try {
    json = JSON.parse(stdout) as SmartctlJson;
  } catch {
    throw new UnreadableOutputError('smartctl -j', 'not JSON', stdout);
  }
  if (typeof json !== 'object' || json === null || !json.smartctl) {
    throw new UnreadableOutputError('smartctl -j', 'no "smartctl" object', stdout);
  }
  if (typeof json.smart_status?.passed !== 'boolean') return undefined;
  const hours = json.power_on_time?.hours;
  const temp = json.temperature?.current;
  const wear = json.nvme_smart_health_information_log?.percentage_used;
  return {
    passed: json.smart_status.passed,
    ...(typeof hours === 'number' && hours >= 0 ? { powerOnHours: Math.floor(hours) } : {}),
    ...(typeof temp === 'number' ? { temperatureC: temp } : {}),
    ...(typeof wear === 'number' && wear >= 0 ? { wearPercent: wear } : {}),
  };
}
