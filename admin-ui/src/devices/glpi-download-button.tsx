import DownloadIcon from '@mui/icons-material/Download';
import { useState } from 'react';
import { Button, useDataProvider, useNotify, useRecordContext } from 'react-admin';
import type { BasculeDataProvider } from '../providers/data-provider.js';
import type { Device } from './device.js';

/**
 * Saves `GET /devices/{id}/glpi` as `<hostname>-glpi.json`: the inventory in GLPI's native format,
 * for an import by hand into a GLPI that the hub does not forward to.
 */
export function GlpiDownloadButton() {
  const record = useRecordContext<Device>();
  const dataProvider = useDataProvider<BasculeDataProvider>();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  if (!record) return null;
  const download = async () => {
    setBusy(true);
    try {
      const json = await dataProvider.getGlpiInventory(record.id);
      const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${record.hostname}-glpi.json`;
      a.click();
      // The click has queued the download; the object URL is not needed after this tick.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (error) {
      notify('bascule.inventory.glpi_error', {
        type: 'error',
        messageArgs: { message: error instanceof Error ? error.message : String(error) },
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button label="bascule.inventory.glpi_download" onClick={download} disabled={busy}>
      <DownloadIcon />
    </Button>
  );
}
