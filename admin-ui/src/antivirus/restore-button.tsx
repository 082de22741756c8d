import RestoreIcon from '@mui/icons-material/RestoreFromTrash';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Confirm, useNotify, useTranslate } from 'react-admin';
import type { QuarantineItem } from './antivirus.js';
import { antivirusApi } from './antivirus-api.js';

/** "Restaurer": puts a quarantined file back where it was, after a confirmation (the file was found infected). */
export function RestoreButton({ deviceId, item }: { deviceId: string; item: QuarantineItem }) {
  const [open, setOpen] = useState(false);
  const notify = useNotify();
  const translate = useTranslate();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => antivirusApi.restore(deviceId, item.id),
    onSuccess: ({ path }) => {
      notify('bascule.antivirus.restored', { type: 'success', messageArgs: { path } });
      void queryClient.invalidateQueries({ queryKey: ['antivirus', deviceId] });
    },
    onError: (error: Error) =>
      notify('bascule.antivirus.restore_error', {
        type: 'error',
        messageArgs: { message: translate(error.message, { _: error.message }) },
      }),
    onSettled: () => setOpen(false),
  });
  return (
    <>
      <Button label="bascule.antivirus.restore" onClick={() => setOpen(true)}>
        <RestoreIcon />
      </Button>
      <Confirm
        isOpen={open}
        loading={mutation.isPending}
        title="bascule.antivirus.restore_title"
        content="bascule.antivirus.restore_content"
        translateOptions={{ path: item.path, signature: item.signature }}
        onConfirm={() => mutation.mutate()}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
