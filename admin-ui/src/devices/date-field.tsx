import { Tooltip, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';
import { useFormat } from '../format/use-format.js';

interface DateFieldProps {
  source: string;
  /** Show "il y a 3 minutes" with the exact date in a tooltip, instead of the exact date. */
  relative?: boolean;
  label?: string;
  sortable?: boolean;
}

/** A date in the active locale ("25/11/2026 14:03"), optionally relative. */
export function DateField({ source, relative = false }: DateFieldProps) {
  const record = useRecordContext<Record<string, unknown>>();
  const format = useFormat();
  const value = record?.[source];
  const iso = typeof value === 'string' ? value : null;
  if (!iso) {
    return (
      <Typography component="span" variant="body2" color="text.secondary">
        —
      </Typography>
    );
  }
  const absolute = format.dateTime(iso);
  if (!relative) {
    return (
      <Typography component="span" variant="body2">
        {absolute}
      </Typography>
    );
  }
  return (
    <Tooltip title={absolute}>
      <Typography component="time" variant="body2" dateTime={iso}>
        {format.relative(iso)}
      </Typography>
    </Tooltip>
  );
}
