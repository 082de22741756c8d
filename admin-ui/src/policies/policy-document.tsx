import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { Policy } from './policy.js';
import { RemoteAppsDocument } from './remote-apps-document.js';

interface Printer {
  name: string;
  uri: string;
  driver: { kind: string; model?: string };
  location?: string;
  description?: string;
  options?: { duplex?: string; color?: boolean; paperSize?: string };
}

function PrintersDocument({ document }: { document: { printers?: Printer[]; default?: string } }) {
  const translate = useTranslate();
  const t = (key: string) => translate(`bascule.policies.printers.fields.${key}`);
  const options = (p: Printer) =>
    [
      p.options?.duplex ? translate(`bascule.policies.printers.duplex.${p.options.duplex}`) : null,
      p.options?.color === undefined
        ? null
        : translate(p.options.color ? 'bascule.policies.printers.colour' : 'bascule.policies.printers.mono'),
      p.options?.paperSize ?? null,
    ]
      .filter(Boolean)
      .join(', ') || '—';
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          {['name', 'uri', 'kind', 'location', 'options'].map((k) => (
            <TableCell key={k}>{t(k)}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {(document.printers ?? []).map((p) => (
          <TableRow key={p.name}>
            <TableCell>
              {p.name}
              {document.default === p.name ? ` (${t('default')})` : ''}
            </TableCell>
            <TableCell sx={{ fontFamily: 'monospace' }}>{p.uri}</TableCell>
            <TableCell>
              {translate(`bascule.policies.printers.driver.${p.driver.kind}`)}
              {p.driver.model ? ` — ${p.driver.model}` : ''}
            </TableCell>
            <TableCell>{p.location ?? '—'}</TableCell>
            <TableCell>{options(p)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function AdJoinDocument({ document }: { document: Record<string, unknown> }) {
  const translate = useTranslate();
  const value = (v: unknown) =>
    typeof v === 'boolean'
      ? translate(v ? 'ra.boolean.true' : 'ra.boolean.false')
      : Array.isArray(v)
        ? v.join(', ') || '—'
        : String(v ?? '—');
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 3, rowGap: 1 }}>
      {['domain', 'ou', 'permitGroups', 'fullyQualifiedNames', 'homeDirTemplate', 'mkhomedir'].map((k) => (
        <Box key={k} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {translate(`bascule.policies.ad_join.fields.${k}`)}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0 }}>
            {value(document[k])}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

function RemoteShellDocument({ document }: { document: Record<string, unknown> }) {
  const translate = useTranslate();
  const value = (k: string, v: unknown) =>
    k === 'enabled'
      ? translate(v === false ? 'ra.boolean.false' : 'ra.boolean.true')
      : k === 'consent'
        ? translate(`bascule.policies.remote_shell.consent.${String(v ?? 'never')}`)
        : `${String(v ?? 30)} s`;
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 3, rowGap: 1 }}>
      {['enabled', 'consent', 'consentTimeoutSeconds'].map((k) => (
        <Box key={k} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {translate(`bascule.policies.remote_shell.fields.${k}`)}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0 }}>
            {value(k, document[k])}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

function AntivirusDocument({ document }: { document: Record<string, unknown> }) {
  const translate = useTranslate();
  const t = (key: string) => translate(`bascule.policies.antivirus.${key}`);
  const yesNo = (v: unknown) => translate(v ? 'ra.boolean.true' : 'ra.boolean.false');
  const signatures = (document.signatures ?? {}) as { mirrorUrl?: string; checksPerDay?: number };
  const schedules = (Array.isArray(document.schedules) ? document.schedules : []) as {
    paths: string[];
    days?: string[];
    windowStart?: string;
    windowEnd?: string;
  }[];
  const rows: [string, string][] = [
    ['mirrorUrl', signatures.mirrorUrl ?? '—'],
    ['checksPerDay', String(signatures.checksPerDay ?? 12)],
    ['daemon', yesNo(document.daemon)],
    [
      'schedules',
      schedules
        .map(
          (x) =>
            `${x.paths.join(', ')} — ${(x.days ?? []).map((d) => t(`days.${d}`)).join(', ')} ${x.windowStart ?? ''}–${x.windowEnd ?? ''}`,
        )
        .join(' | ') || '—',
    ],
    ['exclusions', (Array.isArray(document.exclusions) ? document.exclusions : []).join(', ') || '—'],
    ['action', t(`action.${String(document.action ?? 'quarantine')}`)],
    ['onlyOnMainsPower', yesNo(document.onlyOnMainsPower !== false)],
    ['lowPriority', yesNo(document.lowPriority !== false)],
    ['scanBeforeVpn', yesNo(document.scanBeforeVpn)],
    ['maxFileSizeMiB', String(document.maxFileSizeMiB ?? 100)],
  ];
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 3, rowGap: 1 }}>
      {rows.map(([k, v]) => (
        <Box key={k} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {t(`fields.${k}`)}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0 }}>
            {v}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

function AgentUpdateDocument({ document }: { document: Record<string, unknown> }) {
  const translate = useTranslate();
  const rows: [string, string][] = [
    ['version', String(document.version ?? '—')],
    ['allowDowngrade', translate(document.allowDowngrade === true ? 'ra.boolean.true' : 'ra.boolean.false')],
  ];
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 3, rowGap: 1 }}>
      {rows.map(([k, v]) => (
        <Box key={k} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {translate(`bascule.policies.agent_update.fields.${k}`)}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0 }}>
            {v}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

/** The latest revision's document, read by a person (not JSON). */
export function PolicyDocument() {
  const policy = useRecordContext<Policy>();
  if (!policy?.document) return null;
  if (policy.module === 'printers') return <PrintersDocument document={policy.document} />;
  if (policy.module === 'ad-join') return <AdJoinDocument document={policy.document} />;
  if (policy.module === 'remote-shell') return <RemoteShellDocument document={policy.document} />;
  if (policy.module === 'antivirus') return <AntivirusDocument document={policy.document} />;
  if (policy.module === 'agent-update') return <AgentUpdateDocument document={policy.document} />;
  if (policy.module === 'remote-apps') return <RemoteAppsDocument document={policy.document} />;
  return <pre>{JSON.stringify(policy.document, null, 2)}</pre>;
}
