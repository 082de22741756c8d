import { Alert } from '@mui/material';
import { LinkBase, useTranslate } from 'react-admin';
import { GLPI_PATH } from './glpi-page.js';
import { failingCount } from './glpi-status.js';
import { useGlpiStatus } from './use-glpi-status.js';

/** On the home page, only while forwarding to GLPI fails for some device: a link to the GLPI page. */
export function GlpiFailingBanner() {
  const translate = useTranslate();
  const { data } = useGlpiStatus();
  const failing = failingCount(data);
  if (failing === 0) return null;
  return (
    <Alert severity="warning" sx={{ mb: 2 }} data-testid="glpi-failing-banner">
      <LinkBase to={GLPI_PATH} sx={{ color: 'inherit' }}>
        {translate('bascule.glpi.failing_summary', { smart_count: failing })}
      </LinkBase>
    </Alert>
  );
}
