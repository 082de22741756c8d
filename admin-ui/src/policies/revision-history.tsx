import {
  Alert,
  Box,
  Chip,
  MenuItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import { Button, Link, usePermissions, useRecordContext, useTranslate } from 'react-admin';
import { useFormat } from '../format/use-format.js';
import { DeployRevisionButton } from './deploy-revision-button.js';
import type { DiffChange, Policy } from './policy.js';
import { useDiff, useRevisions } from './policy-api.js';

const show = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

const opColors = { add: 'success', remove: 'error', replace: 'warning' } as const;

/** The hub's diff (JSON Pointer paths), one line per change with the old and the new value. */
function DiffTable({ changes }: { changes: DiffChange[] }) {
  const translate = useTranslate();
  if (changes.length === 0) return <Alert severity="info">{translate('bascule.policies.diff.none')}</Alert>;
  return (
    <Table size="small" aria-label={translate('bascule.policies.diff.title')}>
      <TableHead>
        <TableRow>
          <TableCell>{translate('bascule.policies.diff.op')}</TableCell>
          <TableCell>{translate('bascule.policies.diff.path')}</TableCell>
          <TableCell>{translate('bascule.policies.diff.old')}</TableCell>
          <TableCell>{translate('bascule.policies.diff.new')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {changes.map((c) => (
          <TableRow key={`${c.op}:${c.path}`}>
            <TableCell>
              <Chip size="small" color={opColors[c.op]} label={translate(`bascule.policies.diff.ops.${c.op}`)} />
            </TableCell>
            <TableCell sx={{ fontFamily: 'monospace' }}>{c.path}</TableCell>
            <TableCell sx={{ fontFamily: 'monospace', color: 'error.main', overflowWrap: 'anywhere' }}>
              {show(c.old)}
            </TableCell>
            <TableCell sx={{ fontFamily: 'monospace', color: 'success.main', overflowWrap: 'anywhere' }}>
              {show(c.value)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Every revision, newest first, and the changes between any two of them. */
export function RevisionHistory() {
  const policy = useRecordContext<Policy>();
  const translate = useTranslate();
  const format = useFormat();
  const { permissions } = usePermissions();
  const { data: revisions = [], error } = useRevisions(policy?.id);
  const [from, setFrom] = useState(0);
  const [to, setTo] = useState(0);
  const latest = policy?.latestRevision ?? 0;
  useEffect(() => {
    setTo(latest);
    setFrom(Math.max(1, latest - 1));
  }, [latest]);
  const diff = useDiff(policy?.id, from, to);
  if (!policy) return null;
  if (error) return <Alert severity="error">{String((error as Error).message)}</Alert>;
  const numbers = revisions.map((r) => r.revision);
  return (
    <Box>
      <Table size="small" aria-label={translate('bascule.policies.tabs.revisions')}>
        <TableHead>
          <TableRow>
            <TableCell>{translate('bascule.policies.revision')}</TableCell>
            <TableCell>{translate('bascule.policies.comment')}</TableCell>
            <TableCell>{translate('bascule.policies.created_by')}</TableCell>
            <TableCell>{translate('bascule.policies.created_at')}</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {revisions.map((r) => (
            <TableRow key={r.revision}>
              <TableCell>
                {r.revision}{' '}
                {r.deployed ? (
                  <Chip size="small" color="primary" label={translate('bascule.policies.deployed')} />
                ) : null}
              </TableCell>
              <TableCell>{r.comment || '—'}</TableCell>
              <TableCell>{r.createdBy}</TableCell>
              <TableCell>{format.dateTime(r.createdAt)}</TableCell>
              <TableCell align="right">
                {permissions === 'admin' && !r.deployed ? (
                  <>
                    <DeployRevisionButton revision={r.revision} />
                    <Button
                      component={Link}
                      to="/rollouts/create"
                      state={{ record: { policyId: policy.id, revision: r.revision } }}
                      label="bascule.rollouts.start"
                    />
                  </>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {numbers.length > 1 ? (
        <Box sx={{ mt: 3 }}>
          <Typography variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
            {translate('bascule.policies.diff.title')}
          </Typography>
          <Box sx={{ display: 'flex', gap: 2, mb: 2 }}>
            {(
              [
                ['from', from, setFrom],
                ['to', to, setTo],
              ] as const
            ).map(([key, value, set]) => (
              <TextField
                key={key}
                select
                size="small"
                label={translate(`bascule.policies.diff.${key}`)}
                value={value || ''}
                onChange={(e) => set(Number(e.target.value))}
                sx={{ minWidth: 140 }}
              >
                {numbers.map((n) => (
                  <MenuItem key={n} value={n}>
                    {n}
                  </MenuItem>
                ))}
              </TextField>
            ))}
          </Box>
          {diff.data ? <DiffTable changes={diff.data.changes} /> : null}
        </Box>
      ) : null}
    </Box>
  );
}
