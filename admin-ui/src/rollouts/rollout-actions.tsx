import FastForwardIcon from '@mui/icons-material/FastForward';
import PauseIcon from '@mui/icons-material/Pause';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import UndoIcon from '@mui/icons-material/Undo';
import { useMutation } from '@tanstack/react-query';
import { type ReactElement, useState } from 'react';
import { Button, Confirm, useNotify, usePermissions, useRecordContext, useRefresh } from 'react-admin';
import type { Rollout, RolloutState } from './rollout.js';
import { type RolloutAction, rolloutAction } from './rollout-api.js';

/** Which action each state allows (the hub's state machine answers 409 ROLLOUT_STATE otherwise). */
const ALLOWED: Record<RolloutAction, readonly RolloutState[]> = {
  advance: ['running', 'paused'],
  pause: ['running'],
  resume: ['paused', 'halted'],
  rollback: ['running', 'paused', 'halted', 'completed'],
};

const ICONS: Record<RolloutAction, ReactElement> = {
  advance: <FastForwardIcon />,
  pause: <PauseIcon />,
  resume: <PlayArrowIcon />,
  rollback: <UndoIcon />,
};

function ActionButton({ action }: { action: RolloutAction }) {
  const rollout = useRecordContext<Rollout>();
  const [open, setOpen] = useState(false);
  const notify = useNotify();
  const refresh = useRefresh();
  const mutation = useMutation({
    mutationFn: () => rolloutAction(rollout?.id ?? '', action),
    onSuccess: () => {
      notify(`bascule.rollouts.done.${action}`, { type: 'success' });
      refresh();
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
    onSettled: () => setOpen(false),
  });
  if (!rollout || !ALLOWED[action].includes(rollout.state)) return null;
  return (
    <>
      <Button
        label={`bascule.rollouts.actions.${action}`}
        onClick={() => setOpen(true)}
        color={action === 'rollback' ? 'error' : 'primary'}
      >
        {ICONS[action]}
      </Button>
      <Confirm
        isOpen={open}
        loading={mutation.isPending}
        title={`bascule.rollouts.confirm.${action}_title`}
        content={`bascule.rollouts.confirm.${action}_content`}
        translateOptions={{
          policy: rollout.policyName,
          revision: rollout.toRevision,
          from: rollout.fromRevision ?? '—',
        }}
        onConfirm={() => mutation.mutate()}
        onClose={() => setOpen(false)}
      />
    </>
  );
}

/** Advance, pause, resume, roll back: for administrators, each behind a confirmation. */
export function RolloutActions() {
  const { permissions } = usePermissions();
  if (permissions !== 'admin') return null;
  return (
    <>
      {(['advance', 'pause', 'resume', 'rollback'] as const).map((a) => (
        <ActionButton key={a} action={a} />
      ))}
    </>
  );
}
