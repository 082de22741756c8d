import DoneIcon from '@mui/icons-material/Done';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  type Identifier,
  useDataProvider,
  useListContext,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
  useUnselectAll,
} from 'react-admin';
import type { BasculeDataProvider } from '../providers/data-provider.js';
import type { Alert } from './alert.js';

/** Helpdesk and admin take alerts; viewers only read them (the hub refuses them anyway). */
export function useCanAcknowledge(): boolean {
  const { permissions } = usePermissions();
  return permissions === 'admin' || permissions === 'helpdesk';
}

function useAcknowledge() {
  const dataProvider = useDataProvider<BasculeDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (ids: Identifier[]) => {
      for (const id of ids) await dataProvider.acknowledgeAlert(id);
      return ids.length;
    },
    onSuccess: (count) => {
      notify('resources.alerts.acknowledged', { type: 'info', messageArgs: { smart_count: count } });
    },
    onError: (error: Error) => notify(error.message, { type: 'error' }),
    onSettled: () => {
      // The menu badge and the dashboard count active alerts too.
      void queryClient.invalidateQueries({ queryKey: ['alerts'] });
      void queryClient.invalidateQueries({ queryKey: ['fleet'] });
      refresh();
    },
  });
}

/** "Prendre en charge" on an open alert's row. */
export function AcknowledgeButton(_props: { label?: string }) {
  const record = useRecordContext<Alert>();
  const canAcknowledge = useCanAcknowledge();
  const { mutate, isPending } = useAcknowledge();
  if (record?.state !== 'open' || !canAcknowledge) return null;
  return (
    <Button
      label="resources.alerts.acknowledge"
      disabled={isPending}
      onClick={(e) => {
        e.stopPropagation();
        mutate([record.id]);
      }}
    >
      <DoneIcon />
    </Button>
  );
}

/** The same for the selected rows; those not open any more are skipped. */
export function BulkAcknowledgeButton() {
  const { selectedIds, data } = useListContext<Alert>();
  const unselectAll = useUnselectAll('alerts');
  const { mutate, isPending } = useAcknowledge();
  const open = selectedIds.filter((id) => data?.find((a) => a.id === id)?.state === 'open');
  return (
    <Button
      label="resources.alerts.acknowledge"
      disabled={isPending || open.length === 0}
      onClick={() => mutate(open, { onSuccess: () => unselectAll() })}
    >
      <DoneIcon />
    </Button>
  );
}
