import DevicesIcon from '@mui/icons-material/Computer';
import { Box, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';

/** Shown instead of the list while no device has enrolled: says how to enrol one. */
export function DeviceEmpty() {
  const translate = useTranslate();
  return (
    <Box sx={{ textAlign: 'center', mt: 8, mx: 'auto', maxWidth: 560, color: 'text.secondary' }}>
      <DevicesIcon sx={{ fontSize: 96, opacity: 0.4 }} />
      <Typography variant="h6" component="p" sx={{ mt: 1 }}>
        {translate('bascule.device.empty_title')}
      </Typography>
      <Typography variant="body2" sx={{ mt: 1 }}>
        {translate('bascule.device.empty_help')}
      </Typography>
    </Box>
  );
}
