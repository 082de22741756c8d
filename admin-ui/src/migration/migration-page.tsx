import PrintIcon from '@mui/icons-material/Print';
import { Box, Button, Typography } from '@mui/material';
import { Title, useTranslate } from 'react-admin';
import { Link } from 'react-router';
import { MigrationReport } from './migration-report.js';

export const MIGRATION_PATH = '/migration';
export const MIGRATION_PRINT_PATH = '/migration/print';

/** The "Migration" menu entry: progress by department and for the organisation. */
export function MigrationPage() {
  const translate = useTranslate();
  return (
    <Box sx={{ mt: 2, maxWidth: 1200 }}>
      <Title title={translate('bascule.registry.migration.title')} />
      <Box sx={{ display: 'flex', alignItems: 'center', mb: 2 }}>
        <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
          {translate('bascule.registry.migration.title')}
        </Typography>
        <Button component={Link} to={MIGRATION_PRINT_PATH} startIcon={<PrintIcon />}>
          {translate('bascule.registry.migration.printable')}
        </Button>
      </Box>
      <MigrationReport />
    </Box>
  );
}

/** Hides the buttons on paper and keeps the colours of the bars. */
const PRINT_CSS = `
@media print {
  .no-print { display: none !important; }
  @page { size: A4 portrait; margin: 12mm; }
  body { background: #fff; }
}
`;

/** "Version imprimable": the same report without the app's menu and bar, for a steering committee. */
export function MigrationPrintPage() {
  const translate = useTranslate();
  return (
    <Box sx={{ p: 3, maxWidth: 900, mx: 'auto', bgcolor: '#fff', color: '#000' }} data-testid="migration-print">
      <style>{PRINT_CSS}</style>
      <Box sx={{ display: 'flex', alignItems: 'center', mb: 2 }}>
        <Typography variant="h5" component="h1" sx={{ flex: 1 }}>
          {translate('bascule.registry.migration.title')}
        </Typography>
        <Box className="no-print" sx={{ display: 'flex', gap: 1 }}>
          <Button component={Link} to={MIGRATION_PATH}>
            {translate('bascule.registry.migration.back')}
          </Button>
          <Button variant="contained" startIcon={<PrintIcon />} onClick={() => window.print()}>
            {translate('bascule.registry.migration.print')}
          </Button>
        </Box>
      </Box>
      <MigrationReport printable />
    </Box>
  );
}
