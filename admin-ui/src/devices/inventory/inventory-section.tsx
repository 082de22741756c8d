import type { InventorySectionName } from '@bascule/protocol';
import { Alert, AlertTitle, Box, CircularProgress, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { useRecordContext, useTranslate } from 'react-admin';
import { useFormat } from '../../format/use-format.js';
import type { Device } from '../device.js';
import { useInventory } from './use-inventory.js';

/**
 * Renders one inventory section of the current device, or says clearly why it cannot:
 * still loading, the request failed, the device has not sent it yet, or collection failed on the device.
 */
export function InventorySection<T>({
  name,
  children,
}: {
  name: InventorySectionName;
  children: (data: T) => ReactNode;
}) {
  const record = useRecordContext<Device>();
  const translate = useTranslate();
  const format = useFormat();
  const { data, error, isPending } = useInventory(record?.id);

  if (isPending) {
    return (
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, py: 2 }}>
        <CircularProgress size={20} />
        <Typography variant="body2">{translate('bascule.inventory.loading')}</Typography>
      </Box>
    );
  }
  if (error) {
    return <Alert severity="error">{translate('bascule.inventory.load_error', { message: error.message })}</Alert>;
  }
  const section = data?.[name];
  if (!section) {
    return <Alert severity="info">{translate('bascule.inventory.missing')}</Alert>;
  }
  const updated = (
    <Typography
      variant="caption"
      color="text.secondary"
      component="p"
      sx={{ mb: 2 }}
      title={format.dateTime(section.updatedAt)}
    >
      {translate('bascule.inventory.updated', {
        date: format.dateTime(section.updatedAt),
        relative: format.relative(section.updatedAt),
      })}
    </Typography>
  );
  const failure = section.error !== undefined && (
    <Alert severity="warning" data-testid={`inventory-error-${name}`} sx={{ mb: 2 }}>
      <AlertTitle>{translate('bascule.inventory.section_error')}</AlertTitle>
      <Box component="code" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {section.error}
      </Box>
      {section.data !== undefined && (
        <Typography variant="body2" sx={{ mt: 1 }}>
          {translate('bascule.inventory.stale')}
        </Typography>
      )}
    </Alert>
  );
  return (
    <>
      {updated}
      {failure}
      {section.data !== undefined && children(section.data as T)}
    </>
  );
}
