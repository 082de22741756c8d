import DownloadIcon from '@mui/icons-material/Download';
import PauseIcon from '@mui/icons-material/Pause';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import ReplayIcon from '@mui/icons-material/Replay';
import SkipNextIcon from '@mui/icons-material/SkipNext';
import {
  Alert,
  Box,
  Button,
  IconButton,
  Stack,
  ToggleButton,
  ToggleButtonGroup,
  Tooltip,
  Typography,
} from '@mui/material';
import { useEffect, useReducer, useState } from 'react';
import { useTranslate } from 'react-admin';
import { useXterm } from '../xterm/use-xterm.js';
import { type Asciicast, parseAsciicast } from './asciicast.js';
import { browserTimer, CastPlayer, PLAYER_SPEEDS } from './cast-player.js';
import { formatElapsed, recordingUrl } from './terminal-session.js';

type Loaded =
  | { state: 'loading' }
  | { state: 'gone' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; cast: Asciicast };

/** Fetches a session's `.cast` (same origin, session cookie). */
function useRecording(id: string): Loaded {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    (async () => {
      const res = await fetch(recordingUrl(id), { credentials: 'include', signal: abort.signal });
      if (res.status === 404) return setLoaded({ state: 'gone' });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { message?: string };
        return setLoaded({ state: 'failed', message: body.message ?? `HTTP ${res.status}` });
      }
      setLoaded({ state: 'ready', cast: parseAsciicast(await res.text()) });
    })().catch((err: Error) => {
      if (!abort.signal.aborted) setLoaded({ state: 'failed', message: err.message });
    });
    return () => abort.abort();
  }, [id]);
  return loaded;
}

/** Replays a recorded session in xterm.js with its timing: play/pause, ×1/×2/×8, jump to the end. */
export function ReplayPlayer({ sessionId }: { sessionId: string }) {
  const translate = useTranslate();
  const loaded = useRecording(sessionId);
  const download = (
    <Button component="a" href={recordingUrl(sessionId)} download startIcon={<DownloadIcon />} size="small">
      {translate('bascule.terminal.replay.download')}
    </Button>
  );
  switch (loaded.state) {
    case 'loading':
      return <Typography color="text.secondary">{translate('bascule.terminal.replay.loading')}</Typography>;
    case 'gone':
      return <Alert severity="info">{translate('bascule.terminal.replay.gone')}</Alert>;
    case 'failed':
      return (
        <Alert severity="error">{translate('bascule.terminal.replay.load_error', { message: loaded.message })}</Alert>
      );
    case 'ready':
      return (
        <Stack spacing={1}>
          <Player cast={loaded.cast} />
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            {download}
            <Typography variant="caption" color="text.secondary">
              {translate('bascule.terminal.replay.asciinema')}
            </Typography>
          </Stack>
        </Stack>
      );
  }
}

function Player({ cast }: { cast: Asciicast }) {
  const { ref, term } = useXterm({ fit: false, readOnly: true });
  const [player, setPlayer] = useState<CastPlayer>();
  const [, refresh] = useReducer((n: number) => n + 1, 0);

  useEffect(() => {
    if (!term) return;
    const p = new CastPlayer(
      cast,
      {
        reset: (cols, rows) => {
          term.reset();
          term.resize(cols, rows);
        },
        write: (text) => term.write(text),
        resize: (cols, rows) => term.resize(cols, rows),
      },
      browserTimer,
      refresh,
    );
    setPlayer(p);
    return () => p.dispose();
  }, [term, cast]);

  // The clock moves while playing.
  useEffect(() => {
    if (!player?.playing) return;
    const t = window.setInterval(refresh, 250);
    return () => window.clearInterval(t);
  }, [player, player?.playing]);

  return (
    <Stack spacing={1}>
      {/* The controls appear with the player, so that no click goes nowhere. */}
      {player ? <Controls player={player} duration={cast.duration} refresh={refresh} /> : null}
      <Box sx={{ bgcolor: '#1e1e1e', p: 1, borderRadius: 1, overflow: 'auto' }} data-testid="replay-terminal">
        <Box ref={ref} sx={{ display: 'inline-block' }} />
      </Box>
    </Stack>
  );
}

function Controls({ player, duration, refresh }: { player: CastPlayer; duration: number; refresh: () => void }) {
  const translate = useTranslate();
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
      {player.playing ? (
        <Tooltip title={translate('bascule.terminal.replay.pause')}>
          <IconButton onClick={() => player.pause()} aria-label={translate('bascule.terminal.replay.pause')}>
            <PauseIcon />
          </IconButton>
        </Tooltip>
      ) : (
        <Tooltip title={translate('bascule.terminal.replay.play')}>
          <IconButton onClick={() => player.play()} aria-label={translate('bascule.terminal.replay.play')}>
            <PlayArrowIcon />
          </IconButton>
        </Tooltip>
      )}
      <Tooltip title={translate('bascule.terminal.replay.restart')}>
        <IconButton onClick={() => player.rewind()} aria-label={translate('bascule.terminal.replay.restart')}>
          <ReplayIcon />
        </IconButton>
      </Tooltip>
      <Tooltip title={translate('bascule.terminal.replay.to_end')}>
        <IconButton
          onClick={() => {
            player.seekToEnd();
            refresh();
          }}
          aria-label={translate('bascule.terminal.replay.to_end')}
        >
          <SkipNextIcon />
        </IconButton>
      </Tooltip>
      <ToggleButtonGroup
        exclusive
        size="small"
        value={player.speed}
        onChange={(_e, v: number | null) => {
          if (v) {
            player.setSpeed(v);
            refresh();
          }
        }}
        aria-label={translate('bascule.terminal.replay.speed')}
      >
        {PLAYER_SPEEDS.map((s) => (
          <ToggleButton key={s} value={s}>
            ×{s}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      <Typography variant="body2" sx={{ fontFamily: 'monospace', ml: 1 }} data-testid="replay-position">
        {formatElapsed(player.position)} / {formatElapsed(duration)}
      </Typography>
    </Stack>
  );
}
