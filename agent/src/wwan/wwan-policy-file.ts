import { FieldReader } from '../validation/field-reader.js';

/**
 * Where `apply` leaves the `wwan-failover` settings the daemon's watcher needs, in the state directory
 * (the daemon does not load zod). Re-read at each tick, so a policy change applies within seconds.
 */
export const WWAN_POLICY_FILE = 'config/wwan-failover.json';

export interface WwanPolicy {
  /** The NetworkManager profile of the 4G link. */
  profile: string;
  /** The modem the policy names ('' for the first one). */
  imei: string;
  /** The operator the policy pins (MCC+MNC). */
  operator: string;
  mode: 'passive' | 'on-demand';
  downAfterSeconds: number;
  upAfterSeconds: number;
  monthlyCapMiB: number;
  monthStartDay: number;
  /** The SIM refused the policy's PIN: the watcher never brings the link up (it would try the PIN again). */
  pinRefused: boolean;
}

/** One text for one meaning, so `apply` can compare it. */
export function formatWwanPolicy(p: WwanPolicy): string {
  const { profile, imei, operator, mode, downAfterSeconds, upAfterSeconds, monthlyCapMiB, monthStartDay, pinRefused } =
    p;
  const fields = { profile, imei, operator, mode, downAfterSeconds, upAfterSeconds, monthlyCapMiB, monthStartDay };
  return `${JSON.stringify({ ...fields, pinRefused }, null, 2)}\n`;
}

/** Checked by hand; throws a FieldError naming each bad field, a SyntaxError for text that is not JSON. */
export function parseWwanPolicy(text: string): WwanPolicy {
  const r = new FieldReader(JSON.parse(text));
  const policy: WwanPolicy = {
    profile: r.string('profile', { minLength: 1 }),
    imei: r.string('imei', { default: '' }),
    operator: r.string('operator', { default: '' }),
    mode: r.oneOf('mode', ['passive', 'on-demand'] as const, 'passive'),
    downAfterSeconds: r.number('downAfterSeconds', { integer: true, min: 1, max: 3600, default: 10 }),
    upAfterSeconds: r.number('upAfterSeconds', { integer: true, min: 1, max: 86_400, default: 60 }),
    monthlyCapMiB: r.number('monthlyCapMiB', { integer: true, min: 0, default: 0 }),
    monthStartDay: r.number('monthStartDay', { integer: true, min: 1, max: 28, default: 1 }),
    pinRefused: r.boolean('pinRefused', { default: false }),
  };
  r.done();
  return policy;
}
