import type { Identifier } from 'react-admin';
import { ANTIVIRUS_DEFAULTS, antivirusDocument } from './antivirus-policy.js';
import { remoteAppsDocument } from './remote-apps-policy.js';

/** Modules the hub can validate a policy for (`modulePolicySchemas` in protocol/). */
export const POLICY_MODULES = [
  'printers',
  'ad-join',
  'remote-shell',
  'antivirus',
  'agent-update',
  'wwan-failover',
  'remote-apps',
] as const;
export type PolicyModule = (typeof POLICY_MODULES)[number];

export type AssignmentKind = 'everyone' | 'department' | 'group' | 'device';

export interface Assignment {
  kind: AssignmentKind;
  /** Department name, group id or device id; absent for everyone. */
  target?: string;
}

/** `GET /policies/{id}`. */
export interface Policy {
  id: Identifier;
  module: PolicyModule;
  name: string;
  description: string;
  priority: number;
  latestRevision: number;
  deployedRevision: number | null;
  document: Record<string, unknown>;
  assignments: Assignment[];
  createdAt: string;
  updatedAt: string;
}

/** `GET /policies/{id}/revisions` (newest first). */
export interface Revision {
  revision: number;
  comment: string;
  createdAt: string;
  createdBy: string;
  deployed: boolean;
}

export interface DiffChange {
  op: 'add' | 'remove' | 'replace';
  /** JSON Pointer into the document, e.g. `/printers/0/uri`. */
  path: string;
  old?: unknown;
  value?: unknown;
}

export interface ComplianceCounts {
  devices: number;
  applied: number;
  failed: number;
  drift: number;
  pending: number;
}

export type ComplianceStatus = 'applied' | 'failed' | 'drift' | 'invalid' | 'pending';

/** `GET /policies/{id}/compliance`. */
export interface PolicyCompliance extends ComplianceCounts {
  rows: {
    deviceId: string;
    hostname: string;
    online: boolean;
    policyRevision: number;
    status: ComplianceStatus;
    error: string | null;
    at: string | null;
  }[];
}

export interface PlanStep {
  description: string;
  outcome: 'done' | 'failed' | 'skipped' | 'planned';
  error?: string;
}

/** One module of `GET /devices/{id}/compliance`. */
export interface ModuleCompliance {
  module: string;
  policyId: string;
  policyName: string | null;
  policyRevision: number;
  status: ComplianceStatus;
  error: string | null;
  steps: PlanStep[];
  reportedRevision: number | null;
  at: string | null;
}

export const DEFAULT_DOCUMENTS: Record<PolicyModule, Record<string, unknown>> = {
  printers: { printers: [] },
  'ad-join': { domain: '', permitGroups: [], fullyQualifiedNames: false, homeDirTemplate: '/home/%u', mkhomedir: true },
  'remote-shell': { enabled: true, consent: 'never', consentTimeoutSeconds: 30 },
  antivirus: ANTIVIRUS_DEFAULTS,
  'agent-update': { allowDowngrade: false },
  'wwan-failover': {
    modem: { select: 'first' },
    apn: '',
    operator: '',
    homeOnly: true,
    mode: 'passive',
    downAfterSeconds: 10,
    upAfterSeconds: 60,
    routeMetric: 700,
    monthlyCapMiB: 0,
    monthStartDay: 1,
  },
  'remote-apps': { users: [], apps: [] },
};

/**
 * The form's values as the hub's schema wants them: react-admin turns an emptied input into null,
 * and the schemas take an absent optional field, not null.
 */
export function cleanDocument(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cleanDocument);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null || v === undefined || v === '') continue;
    out[key] = cleanDocument(v);
  }
  return out;
}

/** Keeps only the module's own fields (a form switched from one module to another holds both). */
export function documentFor(module: string, document: unknown): unknown {
  const doc = (cleanDocument(document) ?? {}) as Record<string, unknown>;
  if (module === 'printers') {
    const printers = Array.isArray(doc.printers) ? doc.printers : [];
    return {
      printers: printers.map((p: Record<string, unknown>) => {
        const driver = (p.driver ?? {}) as { kind?: string; model?: string };
        return { ...p, driver: driver.kind === 'ppd' ? driver : { kind: driver.kind } };
      }),
      ...(doc.default !== undefined ? { default: doc.default } : {}),
    };
  }
  if (module === 'ad-join') {
    const { domain, ou, permitGroups, fullyQualifiedNames, homeDirTemplate, mkhomedir } = doc;
    return cleanDocument({
      domain,
      ou,
      permitGroups: permitGroups ?? [],
      fullyQualifiedNames,
      homeDirTemplate,
      mkhomedir,
    });
  }
  if (module === 'remote-shell') {
    const { enabled, consent, consentTimeoutSeconds } = doc;
    return cleanDocument({ enabled, consent, consentTimeoutSeconds });
  }
  if (module === 'antivirus') return antivirusDocument(doc);
  if (module === 'remote-apps') return remoteAppsDocument(doc);
  if (module === 'agent-update') {
    const { version, allowDowngrade } = doc;
    return cleanDocument({ version, allowDowngrade: allowDowngrade === true });
  }
  if (module === 'wwan-failover') {
    const { modem, apn, username, password, simPin, operator, homeOnly, mode } = doc;
    const { downAfterSeconds, upAfterSeconds, routeMetric, monthlyCapMiB, monthStartDay } = doc;
    const m = (modem ?? {}) as { select?: string; imei?: string };
    return cleanDocument({
      modem: m.select === 'imei' ? { select: 'imei', imei: m.imei } : { select: 'first' },
      apn,
      username,
      password,
      simPin,
      operator,
      homeOnly,
      mode,
      downAfterSeconds,
      upAfterSeconds,
      routeMetric,
      monthlyCapMiB,
      monthStartDay,
    });
  }
  return doc;
}
