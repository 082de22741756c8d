import DeleteIcon from '@mui/icons-material/Delete';
import {
  Alert,
  Button,
  Card,
  CardContent,
  IconButton,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Confirm, useNotify, useTranslate } from 'react-admin';
import { useFormat } from '../format/use-format.js';
import { isHttpError } from '../providers/http-client.js';
import { accountSshKeys, type SshKey } from './ssh-keys.js';

const QUERY_KEY = ['account', 'ssh-keys'];

/** The hub's answer to a refused key, as a translation key when it has a known code. */
function errorText(error: unknown, translate: (k: string, o?: Record<string, unknown>) => string): string {
  if (isHttpError(error)) {
    // http-client turned known codes into `bascule.errors.*` keys, per field or for the whole answer.
    const candidates = [error.body?.errors?.publicKey, error.message].filter((m): m is string => !!m);
    const text = candidates.find((m) => m.startsWith('bascule.')) ?? candidates[0];
    if (text) return translate(text, { _: text });
  }
  return error instanceof Error ? error.message : String(error);
}

/** The signed-in user's SSH public keys: what the SSH gateway lets them in with. */
export function SshKeysCard({ username }: { username: string }) {
  const translate = useTranslate();
  const notify = useNotify();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState('');
  const [toDelete, setToDelete] = useState<SshKey>();
  const keys = useQuery({ queryKey: QUERY_KEY, queryFn: accountSshKeys.list });
  const add = useMutation({
    mutationFn: (line: string) => accountSshKeys.add(line),
    onSuccess: () => {
      setDraft('');
      notify('bascule.ssh_keys.added', { type: 'success' });
      return queryClient.invalidateQueries({ queryKey: QUERY_KEY });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => accountSshKeys.remove(id),
    onSuccess: () => {
      notify('bascule.ssh_keys.deleted', { type: 'info' });
      return queryClient.invalidateQueries({ queryKey: QUERY_KEY });
    },
    onError: (error) => notify(errorText(error, translate), { type: 'error' }),
    onSettled: () => setToDelete(undefined),
  });

  return (
    <Card>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          {translate('bascule.ssh_keys.title')}
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {translate('bascule.ssh_keys.help', { username, hub: window.location.hostname })}
        </Typography>
        {keys.isError ? (
          <Alert severity="error">
            {translate('bascule.ssh_keys.load_error', { message: errorText(keys.error, translate) })}
          </Alert>
        ) : keys.data && keys.data.length === 0 ? (
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate('bascule.ssh_keys.empty')}
          </Typography>
        ) : keys.data ? (
          <Table size="small" sx={{ mb: 2 }} aria-label={translate('bascule.ssh_keys.title')}>
            <TableHead>
              <TableRow>
                <TableCell>{translate('bascule.ssh_keys.comment')}</TableCell>
                <TableCell>{translate('bascule.ssh_keys.fingerprint')}</TableCell>
                <TableCell>{translate('bascule.ssh_keys.algorithm')}</TableCell>
                <TableCell>{translate('bascule.ssh_keys.created')}</TableCell>
                <TableCell>{translate('bascule.ssh_keys.last_used')}</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {keys.data.map((k) => (
                <TableRow key={k.id}>
                  <TableCell>{k.comment || '—'}</TableCell>
                  <TableCell sx={{ fontFamily: 'monospace', fontSize: '0.8rem', wordBreak: 'break-all' }}>
                    {k.fingerprint}
                  </TableCell>
                  <TableCell>{k.algorithm}</TableCell>
                  <TableCell>{format.dateTime(k.createdAt)}</TableCell>
                  <TableCell>
                    {k.lastUsedAt ? (
                      <Tooltip title={format.dateTime(k.lastUsedAt)}>
                        <span>{format.relative(k.lastUsedAt)}</span>
                      </Tooltip>
                    ) : (
                      translate('bascule.ssh_keys.never')
                    )}
                  </TableCell>
                  <TableCell align="right">
                    <Tooltip title={translate('bascule.ssh_keys.delete')}>
                      <IconButton aria-label={translate('bascule.ssh_keys.delete')} onClick={() => setToDelete(k)}>
                        <DeleteIcon />
                      </IconButton>
                    </Tooltip>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
        <Stack
          component="form"
          spacing={1}
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate(draft);
          }}
        >
          <TextField
            name="publicKey"
            label={translate('bascule.ssh_keys.public_key')}
            value={draft}
            onChange={(e) => {
              setDraft(e.target.value);
              add.reset();
            }}
            multiline
            minRows={2}
            error={add.isError}
            helperText={add.isError ? errorText(add.error, translate) : translate('bascule.ssh_keys.public_key_help')}
            slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace' } } }}
          />
          <div>
            <Button type="submit" variant="contained" disabled={draft.trim() === '' || add.isPending}>
              {translate('bascule.ssh_keys.add')}
            </Button>
          </div>
        </Stack>
      </CardContent>
      <Confirm
        isOpen={toDelete !== undefined}
        loading={remove.isPending}
        title="bascule.ssh_keys.delete_title"
        content="bascule.ssh_keys.delete_content"
        translateOptions={{ fingerprint: toDelete?.fingerprint ?? '' }}
        onConfirm={() => toDelete && remove.mutate(toDelete.id)}
        onClose={() => setToDelete(undefined)}
      />
    </Card>
  );
}
