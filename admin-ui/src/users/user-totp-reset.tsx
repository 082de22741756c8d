import { Button, Stack, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Confirm, useNotify, useRecordContext, useTranslate } from 'react-admin';
import { userTotp } from './user-totp.js';

/** On a user's page: whether they use TOTP, and the reset an administrator does when a phone is lost. */
export function UserTotpReset() {
  const record = useRecordContext<{ id: string; username: string }>();
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const id = record?.id ?? '';
  const status = useQuery({ queryKey: ['users', id, 'totp'], queryFn: () => userTotp.status(id), enabled: !!id });
  const reset = useMutation({
    mutationFn: () => userTotp.reset(id),
    onSuccess: () => {
      notify('bascule.totp.reset_done', { type: 'info' });
      return queryClient.invalidateQueries({ queryKey: ['users', id, 'totp'] });
    },
    onError: (error) => notify(error instanceof Error ? error.message : String(error), { type: 'error' }),
    onSettled: () => setAsking(false),
  });
  if (!record || !status.data) return null;
  return (
    <Stack direction="row" spacing={2} sx={{ alignItems: 'center', my: 1 }}>
      <Typography variant="body2">
        {translate(status.data.enabled ? 'bascule.totp.user_enabled' : 'bascule.totp.user_disabled')}
      </Typography>
      {status.data.enabled ? (
        <Button color="warning" onClick={() => setAsking(true)}>
          {translate('bascule.totp.reset')}
        </Button>
      ) : null}
      <Confirm
        isOpen={asking}
        loading={reset.isPending}
        title="bascule.totp.reset_confirm_title"
        translateOptions={{ username: record.username }}
        content="bascule.totp.reset_confirm_content"
        onConfirm={() => reset.mutate()}
        onClose={() => setAsking(false)}
      />
    </Stack>
  );
}
