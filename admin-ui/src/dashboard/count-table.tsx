import {
  Box,
  Card,
  CardContent,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import type { ReactNode } from 'react';
import { LinkBase, useTranslate } from 'react-admin';
import { useFormat } from '../format/use-format.js';

export interface CountRow {
  key: string;
  label: ReactNode;
  count: number;
  /** Where the row leads: the list filtered on it; none when the hub cannot filter on it (e.g. no value yet). */
  to?: string;
  extra?: ReactNode;
}

/** A titled table of counts, each with a bar against the largest and a link into the filtered list. */
export function CountTable({
  title,
  rows,
  countLabel,
  extraLabel,
  empty,
  testId,
}: {
  title: string;
  rows: CountRow[];
  countLabel: string;
  extraLabel?: string;
  empty: string;
  testId: string;
}) {
  const translate = useTranslate();
  const format = useFormat();
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <Card variant="outlined" sx={{ height: '100%' }} data-testid={testId}>
      <CardContent>
        <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', fontWeight: 600, mb: 1 }}>
          {translate(title)}
        </Typography>
        {rows.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            {translate(empty)}
          </Typography>
        ) : (
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell />
                <TableCell sx={{ fontWeight: 600 }} align="right">
                  {translate(countLabel)}
                </TableCell>
                {extraLabel && (
                  <TableCell sx={{ fontWeight: 600 }} align="right">
                    {translate(extraLabel)}
                  </TableCell>
                )}
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((r) => (
                <TableRow key={r.key} hover>
                  <TableCell sx={{ width: '60%' }}>
                    {r.to ? <LinkBase to={r.to}>{r.label}</LinkBase> : r.label}
                    <Box sx={{ mt: 0.5 }}>
                      <LinearProgress
                        variant="determinate"
                        value={(r.count / max) * 100}
                        sx={{ height: 4, borderRadius: 2 }}
                        aria-hidden
                      />
                    </Box>
                  </TableCell>
                  <TableCell align="right">{format.number(r.count, 0)}</TableCell>
                  {extraLabel && <TableCell align="right">{r.extra}</TableCell>}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
