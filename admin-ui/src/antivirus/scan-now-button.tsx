import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, useNotify, useTranslate } from 'react-admin';
import { antivirusApi } from './antivirus-api.js';

/** "Analyser maintenant": starts an on-demand scan of the policy's paths (else /home); the hub audits it. */
export function ScanNowButton({
  deviceId,
  disabled,
  onStarted,
}: {
  deviceId: string;
  disabled: boolean;
  onStarted: (scanId: string, requestedAt: string) => void;
}) {
  const notify = useNotify();
  const translate = useTranslate();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => antivirusApi.scan(deviceId),
    onMutate: () => new Date().toISOString(),
    onSuccess: ({ scanId }, _vars, requestedAt) => {
      notify('bascule.antivirus.scan_started', { type: 'info' });
      onStarted(scanId, requestedAt ?? new Date().toISOString());
      void queryClient.invalidateQueries({ queryKey: ['antivirus', deviceId] });
    },
    onError: (error: Error) =>
      notify('bascule.antivirus.scan_error', {
        type: 'error',
        messageArgs: { message: translate(error.message, { _: error.message }) },
      }),
  });
  return (
    <Button
      label="bascule.antivirus.scan_now"
      variant="contained"
      onClick={() => mutation.mutate()}
      disabled={disabled || mutation.isPending}
    >
      <PlayArrowIcon />
    </Button>
  );
}
