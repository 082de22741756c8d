import TerminalIcon from '@mui/icons-material/Terminal';
import { Button, Stack, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { useState } from 'react';
import { useRecordContext, useTranslate } from 'react-admin';
import type { Device } from '../device.js';
import { DeviceTerminalSession } from './device-terminal-session.js';

type RunAs = 'root' | 'user';

/**
 * The device page's terminal: choose root or the signed-in desktop user, then a shell opens below.
 * Leaving the tab (or the page) unmounts the session, which closes it on the device.
 */
export function DeviceTerminalTab() {
  const device = useRecordContext<Device>();
  const translate = useTranslate();
  const [as, setAs] = useState<RunAs>('root');
  /** One number per session opened, so that each mounts a fresh terminal. */
  const [session, setSession] = useState<number | null>(null);
  const [count, setCount] = useState(0);
  if (!device) return null;
  const open = () => {
    setCount(count + 1);
    setSession(count + 1);
  };
  return (
    <Stack spacing={2} sx={{ py: 1 }}>
      <Typography variant="body2" color="text.secondary">
        {translate('bascule.terminal.intro', { hostname: device.hostname })}
      </Typography>
      {session === null ? (
        <Stack direction="row" spacing={2} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
          <Typography variant="body2">{translate('bascule.terminal.as_label')}</Typography>
          <ToggleButtonGroup
            exclusive
            size="small"
            value={as}
            onChange={(_e, v: RunAs | null) => v && setAs(v)}
            aria-label={translate('bascule.terminal.as_label')}
          >
            <ToggleButton value="root">{translate('bascule.terminal.as_root')}</ToggleButton>
            <ToggleButton value="user">{translate('bascule.terminal.as_user')}</ToggleButton>
          </ToggleButtonGroup>
          <Button variant="contained" startIcon={<TerminalIcon />} onClick={open}>
            {translate('bascule.terminal.open')}
          </Button>
        </Stack>
      ) : (
        <DeviceTerminalSession
          key={session}
          deviceId={String(device.id)}
          hostname={device.hostname}
          as={as}
          onNewSession={() => setSession(null)}
        />
      )}
    </Stack>
  );
}
