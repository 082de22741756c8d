import CheckIcon from '@mui/icons-material/Check';
import CloseIcon from '@mui/icons-material/Close';
import { TextField } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Confirm, useNotify, usePermissions, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import type { Volunteer } from './volunteer.js';
import { acceptVolunteer, refuseVolunteer } from './volunteer-api.js';

/** Accept (the registry machine becomes a candidate) or refuse a waiting request: admin and helpdesk. */
export function VolunteerActions() {
  const record = useRecordContext<Volunteer>();
  const { permissions } = usePermissions();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState<'accept' | 'refuse'>();
  const [machineId, setMachineId] = useState('');
  const [reason, setReason] = useState('');
  const single = record?.matchingMachineIds.length === 1;
  const mutation = useMutation({
    mutationFn: (action: 'accept' | 'refuse') =>
      action === 'accept'
        ? acceptVolunteer(record?.id ?? '', single ? undefined : machineId.trim())
        : refuseVolunteer(record?.id ?? '', reason.trim()),
    onSuccess: (_v, action) => {
      notify(`bascule.volunteers.${action === 'accept' ? 'accepted' : 'refused'}`, { type: 'success' });
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
    onSettled: () => setOpen(undefined),
  });
  if (record?.state !== 'waiting' || (permissions !== 'admin' && permissions !== 'helpdesk')) return null;
  return (
    <>
      <Button label="bascule.volunteers.accept" onClick={() => setOpen('accept')}>
        <CheckIcon />
      </Button>
      <Button label="bascule.volunteers.refuse" color="error" onClick={() => setOpen('refuse')}>
        <CloseIcon />
      </Button>
      <Confirm
        isOpen={open === 'accept'}
        loading={mutation.isPending}
        title="bascule.volunteers.accept_title"
        translateOptions={{ name: record.name }}
        content={
          single ? (
            translate('bascule.volunteers.accept_content', { name: record.name })
          ) : (
            <>
              {translate('bascule.volunteers.accept_choose', { machine: record.machine })}
              <TextField
                fullWidth
                sx={{ mt: 2 }}
                name="machineId"
                label={translate('bascule.volunteers.machine_id')}
                value={machineId}
                onChange={(e) => setMachineId(e.target.value)}
              />
            </>
          )
        }
        onConfirm={() => mutation.mutate('accept')}
        onClose={() => setOpen(undefined)}
      />
      <Confirm
        isOpen={open === 'refuse'}
        loading={mutation.isPending}
        title="bascule.volunteers.refuse_title"
        translateOptions={{ name: record.name }}
        content={
          <TextField
            fullWidth
            name="reason"
            label={translate('bascule.volunteers.refuse_reason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        }
        onConfirm={() => mutation.mutate('refuse')}
        onClose={() => setOpen(undefined)}
      />
    </>
  );
}
