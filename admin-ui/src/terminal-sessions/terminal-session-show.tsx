import { Divider, Typography } from '@mui/material';
import { lazy, Suspense } from 'react';
import { Labeled, Loading, Show, SimpleShowLayout, TextField, useRecordContext, useTranslate } from 'react-admin';
import { DateField } from '../devices/date-field.js';
import { useFormat } from '../format/use-format.js';
import type { TerminalSession } from './terminal-session.js';
import { DeviceLinkField, DurationField, EndReasonField, ExitField, ViaField } from './terminal-session-fields.js';

// xterm.js is loaded with the player, not with the rest of the admin UI.
const ReplayPlayer = lazy(() => import('./replay-player.js').then((m) => ({ default: m.ReplayPlayer })));

function Title() {
  const r = useRecordContext<TerminalSession>();
  return <span>{r ? `${r.username} → ${r.hostname}` : ''}</span>;
}

function Bytes() {
  const r = useRecordContext<TerminalSession>();
  const format = useFormat();
  if (!r) return null;
  return (
    <Typography component="span" variant="body2">
      {format.bytes(r.bytesOut)} ↓ · {format.bytes(r.bytesIn)} ↑
    </Typography>
  );
}

function Replay() {
  const r = useRecordContext<TerminalSession>();
  const translate = useTranslate();
  if (!r) return null;
  return (
    <>
      <Divider sx={{ my: 2 }} />
      <Typography variant="h6" gutterBottom>
        {translate('bascule.terminal.replay.title')}
      </Typography>
      <Suspense fallback={<Loading />}>
        <ReplayPlayer key={r.id} sessionId={r.id} />
      </Suspense>
    </>
  );
}

/** One session: who, where, how, how it ended, and its recording played back. */
export function TerminalSessionShow() {
  return (
    <Show title={<Title />}>
      <SimpleShowLayout>
        <TextField source="username" />
        <Labeled label="resources.terminal-sessions.fields.hostname">
          <DeviceLinkField />
        </Labeled>
        <Labeled label="resources.terminal-sessions.fields.via">
          <ViaField />
        </Labeled>
        <TextField source="command" emptyText="—" />
        <TextField source="clientAddress" emptyText="—" />
        <DateField source="startedAt" />
        <DateField source="endedAt" />
        <Labeled label="resources.terminal-sessions.fields.durationSeconds">
          <DurationField />
        </Labeled>
        <Labeled label="resources.terminal-sessions.fields.bytesOut">
          <Bytes />
        </Labeled>
        <Labeled label="resources.terminal-sessions.fields.exitCode">
          <ExitField />
        </Labeled>
        <Labeled label="resources.terminal-sessions.fields.endReason">
          <EndReasonField />
        </Labeled>
        <TextField source="endMessage" emptyText="—" />
        <Replay />
      </SimpleShowLayout>
    </Show>
  );
}
