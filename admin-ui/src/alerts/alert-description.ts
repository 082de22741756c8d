import type { Alert } from './alert.js';

type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface DescriptionFormat {
  bytes: (n: number | null | undefined) => string;
  percent: (ratio: number | null | undefined) => string;
  number: (n: number | null | undefined, digits?: number) => string;
  dateTime: (iso: string | null | undefined) => string;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * What the alert is about, in the UI's language, from its `type`, `subject` and `detail`
 * (`resources.alerts.descriptions.<type>`): "/home plein à 96 % (7,7 Go sur 8 Go)".
 * Falls back to the hub's English `message` for a type this UI does not know.
 */
export function describeAlert(alert: Alert, translate: Translate, format: DescriptionFormat): string {
  const d = alert.detail ?? {};
  const key = `resources.alerts.descriptions.${alert.type}`;
  const days = num(d.days);
  switch (alert.type) {
    case 'disk-full':
      return translate(key, {
        mount: str(d.mount) ?? alert.subject,
        percent: format.percent((num(d.usedPercent) ?? 0) / 100),
        used: format.bytes(num(d.usedBytes)),
        size: format.bytes(num(d.sizeBytes)),
      });
    case 'failed-unit':
      return translate(key, { unit: str(d.unit) ?? alert.subject });
    case 'battery-health':
      return translate(key, { health: format.percent((num(d.healthPercent) ?? 0) / 100) });
    case 'offline':
      return translate(key, { smart_count: days ?? 0, date: format.dateTime(str(d.lastSeenAt)) });
    case 'reboot-required':
      return translate(key, { smart_count: days ?? 0, date: format.dateTime(str(d.since)) });
    case 'smart-failure':
      return translate(key, {
        device: str(d.device) ?? alert.subject,
        model: [str(d.model), str(d.serial)].filter(Boolean).join(' · ') || '—',
      });
    case 'antivirus-outdated':
      return translate(key, {
        product: str(d.product) ?? alert.subject,
        date: format.dateTime(str(d.signatureDate)),
        smart_count: days ?? 0,
      });
    case 'antivirus-detection': {
      const detections = Array.isArray(d.detections) ? (d.detections as Record<string, unknown>[]) : [];
      const first = detections[0];
      return translate(key, {
        smart_count: num(d.count) ?? detections.length,
        signature: str(first?.signature) ?? '—',
        path: str(first?.path) ?? '—',
        date: format.dateTime(str(d.finishedAt)),
      });
    }
    case 'antivirus-scan-error': {
      const errors = Array.isArray(d.errors) ? d.errors.filter((e): e is string => typeof e === 'string') : [];
      return translate(key, { date: format.dateTime(str(d.finishedAt)), error: errors[0] ?? '—' });
    }
    case 'wwan-data-cap':
      return translate(key, {
        percent: format.percent((num(d.percentOfCap) ?? 0) / 100),
        used: format.bytes(num(d.bytes)),
        cap: format.bytes((num(d.capMiB) ?? 0) * 1024 * 1024),
      });
    default:
      return alert.message;
  }
}
