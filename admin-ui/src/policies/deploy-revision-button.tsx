import PublishIcon from '@mui/icons-material/Publish';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Confirm, useNotify, useRecordContext, useRefresh } from 'react-admin';
import type { Policy } from './policy.js';
import { policyApi } from './policy-api.js';

/** Gives one revision to every targeted device at once (no rings): also how to go back by hand. */
export function DeployRevisionButton({ revision }: { revision: number }) {
  const policy = useRecordContext<Policy>();
  const [open, setOpen] = useState(false);
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => policyApi.deploy(policy?.id ?? '', revision),
    onSuccess: () => {
      notify('bascule.policies.deployed_now', { type: 'success', messageArgs: { revision } });
      void queryClient.invalidateQueries({ queryKey: ['policies', policy?.id] });
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
    onSettled: () => setOpen(false),
  });
  if (!policy) return null;
  return (
    <>
      <Button label="bascule.policies.deploy_now" onClick={() => setOpen(true)}>
        <PublishIcon />
      </Button>
      <Confirm
        isOpen={open}
        loading={mutation.isPending}
        title="bascule.policies.deploy_title"
        content="bascule.policies.deploy_content"
        translateOptions={{ revision, name: policy.name }}
        onConfirm={() => mutation.mutate()}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
