import { Alert, Box, Button, Stack } from '@mui/material';
import { useEffect, useState } from 'react';
import { useTranslate } from 'react-admin';
import { useFormat } from '../../format/use-format.js';
import { useXterm } from '../../xterm/use-xterm.js';
import { terminalEndMessage } from './terminal-messages.js';
import { type TerminalEnd, TerminalSocket, terminalUrl } from './terminal-socket.js';

interface Props {
  deviceId: string;
  hostname: string;
  as: 'root' | 'user';
  onNewSession(): void;
}

/**
 * One shell on the device, in xterm.js over the hub's WebSocket. The terminal fits its panel and
 * tells the hub each new size; output is acknowledged once written. Unmounting closes the session.
 */
export function DeviceTerminalSession({ deviceId, hostname, as, onNewSession }: Props) {
  const translate = useTranslate();
  const format = useFormat();
  const { ref, term } = useXterm({ fit: true });
  const [socket, setSocket] = useState<TerminalSocket>();
  const [opened, setOpened] = useState<string>();
  const [exit, setExit] = useState<{ code: number | null; signal: string | null }>();
  const [end, setEnd] = useState<TerminalEnd>();

  useEffect(() => {
    if (!term) return;
    const s = new TerminalSocket(terminalUrl(window.location, deviceId, { as, cols: term.cols, rows: term.rows }), {
      output: (data, written) => term.write(data, written),
      opened: (_sid, host) => {
        setOpened(host);
        term.focus();
      },
      exit: (code, signal) => setExit({ code, signal }),
      ended: setEnd,
    });
    const subscriptions = [
      term.onData((d) => s.input(d)),
      term.onBinary((d) => s.inputBinary(d)),
      term.onResize(({ cols, rows }) => s.resize(cols, rows)),
    ];
    setSocket(s);
    return () => {
      for (const sub of subscriptions) sub.dispose();
      s.close();
    };
  }, [term, deviceId, as]);

  const asLabel = translate(as === 'root' ? 'bascule.terminal.as_root' : 'bascule.terminal.as_user');
  let status: { severity: 'info' | 'success' | 'warning' | 'error'; text: string };
  if (end) {
    const exitText =
      exit?.signal != null
        ? translate('bascule.terminal.killed', { signal: exit.signal })
        : exit?.code != null
          ? translate('bascule.terminal.exited', { code: exit.code })
          : undefined;
    const endText = terminalEndMessage(end, translate, (iso) => format.dateTime(iso), hostname);
    status =
      end.kind === 'closed'
        ? {
            severity: 'info',
            text: end.code === 'exit' && exitText ? exitText : [exitText, endText].filter(Boolean).join(' '),
          }
        : { severity: end.kind === 'error' ? 'error' : 'warning', text: endText };
  } else if (opened) {
    status = { severity: 'success', text: translate('bascule.terminal.connected', { hostname: opened, as: asLabel }) };
  } else {
    status = { severity: 'info', text: translate('bascule.terminal.connecting', { hostname }) };
  }

  return (
    <Stack spacing={1}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <Alert severity={status.severity} sx={{ flex: 1 }} data-testid="terminal-status">
          {status.text}
        </Alert>
        {end ? (
          <Button variant="contained" onClick={onNewSession}>
            {translate('bascule.terminal.reopen')}
          </Button>
        ) : (
          <Button variant="outlined" color="error" onClick={() => socket?.close()}>
            {translate('bascule.terminal.close')}
          </Button>
        )}
      </Stack>
      <Box
        sx={{ bgcolor: '#1e1e1e', p: 1, borderRadius: 1, height: '60vh', minHeight: 300, overflow: 'hidden' }}
        data-testid="device-terminal"
      >
        <Box ref={ref} sx={{ width: '100%', height: '100%' }} />
      </Box>
    </Stack>
  );
}
