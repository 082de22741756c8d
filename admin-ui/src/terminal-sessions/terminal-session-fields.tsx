import { Chip, Link as MuiLink, Typography } from '@mui/material';
import type { MouseEvent } from 'react';
import { Link, useRecordContext, useTranslate } from 'react-admin';
import { endReasonLabel } from '../devices/terminal/terminal-messages.js';
import { formatElapsed, type TerminalSession } from './terminal-session.js';

/** The device's hostname, linking to its page. */
export function DeviceLinkField(_props: { label?: string; source?: string; sortBy?: string }) {
  const r = useRecordContext<TerminalSession>();
  if (!r) return null;
  return (
    <MuiLink
      component={Link}
      to={`/devices/${encodeURIComponent(r.deviceId)}/show`}
      onClick={(e: MouseEvent) => e.stopPropagation()}
    >
      {r.hostname}
    </MuiLink>
  );
}

/** SSH or browser, and as whom. */
export function ViaField(_props: { label?: string; source?: string; sortable?: boolean }) {
  const r = useRecordContext<TerminalSession>();
  const translate = useTranslate();
  if (!r) return null;
  return (
    <Chip
      size="small"
      variant="outlined"
      label={`${translate(`bascule.terminal.via.${r.via}`)} · ${translate(`bascule.terminal.run_as.${r.runAs}`)}`}
    />
  );
}

export function DurationField(_props: { label?: string; source?: string; sortable?: boolean }) {
  const r = useRecordContext<TerminalSession>();
  if (!r) return null;
  return (
    <Typography component="span" variant="body2">
      {formatElapsed(r.durationSeconds)}
    </Typography>
  );
}

/** The exit status: a code, a signal, or a dash. */
export function ExitField(_props: { label?: string; source?: string; sortable?: boolean }) {
  const r = useRecordContext<TerminalSession>();
  if (!r) return null;
  const text = r.exitSignal ?? (r.exitCode === null ? '—' : String(r.exitCode));
  return (
    <Typography component="span" variant="body2" sx={{ fontFamily: 'monospace' }}>
      {text}
    </Typography>
  );
}

export function EndReasonField(_props: { label?: string; source?: string; sortable?: boolean }) {
  const r = useRecordContext<TerminalSession>();
  const translate = useTranslate();
  if (!r) return null;
  const label = endReasonLabel(r.endReason, translate);
  return r.active ? (
    <Chip size="small" color="success" label={label} />
  ) : (
    <span title={r.endMessage ?? ''}>{label}</span>
  );
}
