import DownloadIcon from '@mui/icons-material/Download';
import { Button, useListContext } from 'react-admin';
import { API_URL } from '../providers/http-client.js';

/** The hub's CSV of the entries the current filters select (every page, newest first). */
export function auditCsvUrl(filter: Record<string, unknown>): string {
  const params = new URLSearchParams({ format: 'csv', filter: JSON.stringify(filter), sort: '["id","DESC"]' });
  return `${API_URL}/audit?${params.toString()}`;
}

export function AuditExportButton() {
  const { filterValues } = useListContext();
  return (
    <Button label="bascule.audit.export" href={auditCsvUrl(filterValues)} component="a" download>
      <DownloadIcon />
    </Button>
  );
}
