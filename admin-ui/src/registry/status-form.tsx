import { Alert, Box, Button, Card, CardContent, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useNotify, useRefresh, useTranslate } from 'react-admin';
import { errorText } from './error-text.js';
import {
  EXCEPTION_REASONS,
  type ExceptionReason,
  MACHINE_STATUSES,
  type MachineStatus,
  type RegistryMachine,
} from './registry.js';
import { type StatusChange, setMachineStatus } from './registry-api.js';

/** What the form would send, or the i18n key of why it cannot (a reason is required). */
export function statusChange(
  status: MachineStatus,
  reason: ExceptionReason | '',
  workaround: string,
  rollbackReason: string,
): StatusChange | { missing: string } {
  if (status === 'exception') {
    if (!reason) return { missing: 'exceptionReason' };
    const w = workaround.trim();
    return { status, exceptionReason: reason, ...(w ? { workaround: w } : {}) };
  }
  if (status === 'rolled-back') {
    const r = rollbackReason.trim();
    return r ? { status, rollbackReason: r } : { missing: 'rollbackReason' };
  }
  return { status };
}

/** The status of one machine, changed by a person (helpdesk or admin); `migrated` only with a linked agent. */
export function StatusForm({ machine }: { machine: RegistryMachine }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [status, setStatus] = useState<MachineStatus>(machine.status);
  const [reason, setReason] = useState<ExceptionReason | ''>(machine.exceptionReason ?? '');
  const [workaround, setWorkaround] = useState(machine.exceptionWorkaround ?? '');
  const [rollbackReason, setRollbackReason] = useState(machine.rollbackReason ?? '');
  const [missing, setMissing] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const f = (field: string) => translate(`resources.registry-machines.fields.${field}`);

  const save = async () => {
    const change = statusChange(status, reason, workaround, rollbackReason);
    if ('missing' in change) {
      setMissing(change.missing);
      return;
    }
    setMissing(null);
    setSaving(true);
    try {
      await setMachineStatus(machine.id, change);
      notify('bascule.registry.machine.saved', { type: 'success' });
      refresh();
    } catch (error) {
      notify(errorText(translate, error), {
        type: 'error',
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card variant="outlined" sx={{ mt: 2, maxWidth: 640 }} data-testid="registry-status-form">
      <CardContent>
        <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mb: 2 }}>
          {translate('bascule.registry.machine.status_title')}
        </Typography>
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
          <TextField
            select
            label={translate('bascule.registry.machine.new_status')}
            value={status}
            onChange={(e) => setStatus(e.target.value as MachineStatus)}
            slotProps={{
              select: { native: true },
              inputLabel: { shrink: true },
              htmlInput: { 'data-testid': 'registry-new-status' },
            }}
          >
            {MACHINE_STATUSES.map((s) => (
              <option key={s} value={s} disabled={s === 'migrated' && !machine.deviceId}>
                {translate(`bascule.registry.statuses.${s}`)}
              </option>
            ))}
          </TextField>
          {status === 'migrated' && !machine.deviceId ? (
            <Alert severity="info">{translate('bascule.registry.machine.migrated_needs_device')}</Alert>
          ) : null}
          {status === 'exception' ? (
            <>
              <TextField
                select
                label={f('exceptionReason')}
                value={reason}
                onChange={(e) => setReason(e.target.value as ExceptionReason)}
                error={missing === 'exceptionReason'}
                helperText={missing === 'exceptionReason' ? translate('bascule.registry.machine.reason_required') : ' '}
                slotProps={{
                  select: { native: true },
                  inputLabel: { shrink: true },
                  htmlInput: { 'data-testid': 'registry-exception-reason' },
                }}
              >
                <option value="" />
                {EXCEPTION_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {translate(`bascule.registry.reasons.${r}`)}
                  </option>
                ))}
              </TextField>
              <TextField
                label={f('exceptionWorkaround')}
                value={workaround}
                onChange={(e) => setWorkaround(e.target.value)}
                helperText={translate('bascule.registry.machine.workaround_help')}
                slotProps={{ htmlInput: { 'data-testid': 'registry-workaround', maxLength: 500 } }}
              />
            </>
          ) : null}
          {status === 'rolled-back' ? (
            <TextField
              label={f('rollbackReason')}
              value={rollbackReason}
              onChange={(e) => setRollbackReason(e.target.value)}
              error={missing === 'rollbackReason'}
              helperText={
                missing === 'rollbackReason'
                  ? translate('bascule.registry.machine.reason_required')
                  : translate('bascule.registry.machine.rollback_help')
              }
              slotProps={{ htmlInput: { 'data-testid': 'registry-rollback-reason', maxLength: 500 } }}
            />
          ) : null}
          <Box>
            <Button variant="contained" onClick={save} disabled={saving}>
              {translate('bascule.registry.machine.save_status')}
            </Button>
          </Box>
        </Box>
      </CardContent>
    </Card>
  );
}
