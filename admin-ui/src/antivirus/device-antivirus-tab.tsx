import {
  Alert,
  Box,
  Card,
  CardContent,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { type ReactNode, useEffect, useState } from 'react';
import { useNotify, usePermissions, useRecordContext, useTranslate } from 'react-admin';
import type { Device } from '../devices/device.js';
import { AntivirusTab as AntivirusInventory } from '../devices/inventory/antivirus-tab.js';
import { PropertyList } from '../devices/property-list.js';
import { useFormat } from '../format/use-format.js';
import { type AntivirusScan, type AntivirusStatus, scanDone, scanProgress } from './antivirus.js';
import { useAntivirusStatus } from './antivirus-api.js';
import { ResultChip, SignatureAge } from './antivirus-chips.js';
import { RestoreButton } from './restore-button.js';
import { ScanNowButton } from './scan-now-button.js';

const k = (key: string) => `bascule.antivirus.${key}`;

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  const translate = useTranslate();
  return (
    <Card variant="outlined" sx={{ mb: 2 }} data-testid={testId}>
      <CardContent>
        <Typography variant="h6" component="h2" sx={{ mb: 1, fontSize: '1rem', fontWeight: 600 }}>
          {translate(title)}
        </Typography>
        {children}
      </CardContent>
    </Card>
  );
}

function Signatures({ status }: { status: AntivirusStatus }) {
  const translate = useTranslate();
  const format = useFormat();
  const yesNo = (v: boolean | null) => (v === null ? undefined : translate(v ? 'ra.boolean.true' : 'ra.boolean.false'));
  return (
    <PropertyList
      items={[
        { label: k('installed'), value: yesNo(status.installed) },
        { label: k('engine'), value: status.engineVersion },
        { label: k('signature_version'), value: status.signatureVersion },
        {
          label: k('signature_date'),
          value: status.signatureDate ? (
            <Box component="span" sx={{ display: 'inline-flex', gap: 1, alignItems: 'center' }}>
              {format.dateTime(status.signatureDate)}
              <SignatureAge days={status.signatureAgeDays} outdated={status.signatureOutdated} />
            </Box>
          ) : undefined,
        },
        { label: k('daemon'), value: yesNo(status.daemonRunning) },
        { label: k('mirror'), value: status.mirrorUrl ?? translate(k('public_mirrors')) },
        { label: k('detections_30d'), value: format.number(status.detections30d) },
      ]}
    />
  );
}

function CurrentScan({ scan }: { scan: AntivirusScan }) {
  const translate = useTranslate();
  const format = useFormat();
  const progress = scanProgress(scan);
  return (
    <Box sx={{ mt: 2 }} data-testid="antivirus-progress">
      <Typography variant="body2" sx={{ mb: 1 }}>
        {scan.filesTotal
          ? translate(k('progress_of'), {
              scanned: format.number(scan.filesScanned ?? 0),
              total: format.number(scan.filesTotal),
              percent: format.percent(progress ?? 0),
            })
          : translate(k('progress'), {
              smart_count: scan.filesScanned ?? 0,
              scanned: format.number(scan.filesScanned ?? 0),
            })}
        {` — ${scan.paths.join(', ')}`}
      </Typography>
      <LinearProgress
        variant={progress === undefined ? 'indeterminate' : 'determinate'}
        value={(progress ?? 0) * 100}
      />
    </Box>
  );
}

function LastScan({ scan }: { scan: AntivirusScan }) {
  const translate = useTranslate();
  const format = useFormat();
  return (
    <>
      <PropertyList
        items={[
          { label: k('result'), value: <ResultChip result={scan.result} /> },
          {
            label: k('finished_at'),
            value: scan.finishedAt ? `${format.dateTime(scan.finishedAt)} (${format.relative(scan.finishedAt)})` : null,
          },
          { label: k('trigger'), value: translate(k(`triggers.${scan.trigger}`), { _: scan.trigger }) },
          { label: k('paths'), value: scan.paths.join(', ') },
          { label: k('files'), value: scan.filesScanned === null ? null : format.number(scan.filesScanned) },
          {
            label: k('duration'),
            // Scans of a few seconds are common: under a minute, seconds with one decimal.
            value:
              scan.durationMs === null
                ? null
                : scan.durationMs < 60_000
                  ? translate(k('seconds'), { seconds: format.number(scan.durationMs / 1000, 1) })
                  : format.duration(scan.durationMs / 1000),
          },
          { label: k('engine_used'), value: scan.engine },
          { label: k('detections'), value: format.number(scan.detections) },
        ]}
      />
      {scan.errors.length > 0 && (
        <Alert severity={scan.result === 'error' ? 'error' : 'warning'} sx={{ mt: 2 }}>
          {scan.errors.map((e) => (
            <div key={e}>{e}</div>
          ))}
        </Alert>
      )}
    </>
  );
}

function Detections({ status }: { status: AntivirusStatus }) {
  const translate = useTranslate();
  const format = useFormat();
  if (status.recentDetections.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate(k('no_detections'))}
      </Typography>
    );
  }
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          {['detected_at', 'path', 'signature', 'action'].map((c) => (
            <TableCell key={c}>{translate(k(`columns.${c}`))}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {status.recentDetections.map((d) => (
          <TableRow key={`${d.scanId}-${d.path}`}>
            <TableCell>{format.dateTime(d.detectedAt)}</TableCell>
            <TableCell sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>{d.path}</TableCell>
            <TableCell>{d.signature}</TableCell>
            <TableCell>
              {translate(k(`actions.${d.action}`), { _: d.action })}
              {d.error ? ` (${d.error})` : ''}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Quarantine({ status, canAct }: { status: AntivirusStatus; canAct: boolean }) {
  const translate = useTranslate();
  const format = useFormat();
  if (status.quarantine.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate(k('quarantine_empty'))}
      </Typography>
    );
  }
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          {['path', 'signature', 'quarantined_at', 'size'].map((c) => (
            <TableCell key={c}>{translate(k(`columns.${c}`))}</TableCell>
          ))}
          {canAct && <TableCell />}
        </TableRow>
      </TableHead>
      <TableBody>
        {status.quarantine.map((q) => (
          <TableRow key={q.id}>
            <TableCell sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>{q.path}</TableCell>
            <TableCell>{q.signature}</TableCell>
            <TableCell>{format.dateTime(q.quarantinedAt)}</TableCell>
            <TableCell>{q.sizeBytes === null ? '—' : format.bytes(q.sizeBytes)}</TableCell>
            {canAct && (
              <TableCell align="right">
                <RestoreButton deviceId={status.id} item={q} />
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * The device's antivirus: signatures and their age, "scan now" with live progress (the status is polled
 * while a scan runs), the last result, what was found, the quarantine; then what the inventory says.
 * Scanning and restoring are for admins and the helpdesk (the hub refuses the others anyway).
 */
export function DeviceAntivirusTab() {
  const device = useRecordContext<Device>();
  const translate = useTranslate();
  const notify = useNotify();
  const { permissions } = usePermissions();
  const canAct = permissions === 'admin' || permissions === 'helpdesk';
  const [requested, setRequested] = useState<{ scanId: string; at: string } | undefined>();
  const { data: status, error } = useAntivirusStatus(device?.id, requested !== undefined);

  useEffect(() => {
    if (requested && scanDone(status, requested.scanId, requested.at)) {
      setRequested(undefined);
      notify('bascule.antivirus.scan_finished', {
        type: status?.lastScan?.result === 'clean' ? 'success' : 'warning',
        messageArgs: { result: translate(k(`results.${status?.lastScan?.result ?? 'none'}`)) },
      });
    }
  }, [requested, status, notify, translate]);

  if (!device) return null;
  const running = status?.currentScan ?? null;
  return (
    <Box sx={{ maxWidth: 1100 }}>
      {error && <Alert severity="error">{translate(k('load_error'), { message: error.message })}</Alert>}
      {status && (
        <>
          <Section title={k('status')} testId="antivirus-status">
            <Signatures status={status} />
          </Section>
          <Section title={k('scan')} testId="antivirus-scan">
            {canAct && (
              <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
                <ScanNowButton
                  deviceId={device.id}
                  disabled={running !== null || requested !== undefined}
                  onStarted={(scanId, at) => setRequested({ scanId, at })}
                />
                {!device.online && (
                  <Typography variant="body2" color="text.secondary">
                    {translate(k('offline'))}
                  </Typography>
                )}
              </Stack>
            )}
            {running ? (
              <CurrentScan scan={running} />
            ) : requested ? (
              <Box sx={{ mt: 2 }}>
                <LinearProgress />
              </Box>
            ) : null}
            <Box sx={{ mt: 2 }} data-testid="antivirus-last-scan">
              {status.lastScan ? (
                <LastScan scan={status.lastScan} />
              ) : (
                <Typography variant="body2" color="text.secondary">
                  {translate(k('never_scanned'))}
                </Typography>
              )}
            </Box>
          </Section>
          <Section title={k('detections_title')} testId="antivirus-detections">
            <Detections status={status} />
          </Section>
          <Section title={k('quarantine')} testId="antivirus-quarantine">
            <Quarantine status={status} canAct={canAct} />
          </Section>
        </>
      )}
      <Section title={k('inventory')}>
        <AntivirusInventory />
      </Section>
    </Box>
  );
}
