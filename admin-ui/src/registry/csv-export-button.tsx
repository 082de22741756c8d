import DownloadIcon from '@mui/icons-material/Download';
import { Button } from '@mui/material';
import { useListContext, useTranslate } from 'react-admin';

/** The hub's CSV of the list as filtered and sorted now (every page, for French Excel). */
export function CsvExportButton({ route }: { route: string }) {
  const { filterValues, sort } = useListContext();
  const translate = useTranslate();
  const query = new URLSearchParams({
    format: 'csv',
    filter: JSON.stringify(filterValues ?? {}),
    sort: JSON.stringify([sort.field, sort.order]),
  });
  return (
    <Button
      size="small"
      startIcon={<DownloadIcon />}
      href={`/api/v1/${route}?${query.toString()}`}
      download
      data-testid="registry-csv-export"
    >
      {translate('bascule.registry.export_csv')}
    </Button>
  );
}
