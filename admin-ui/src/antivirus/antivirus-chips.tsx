import { Chip } from '@mui/material';
import { useTranslate } from 'react-admin';
import { type AntivirusScan, resultColour } from './antivirus.js';

const k = (key: string) => `bascule.antivirus.${key}`;

/** The signature age, red past the alert's threshold (3 days). */
export function SignatureAge({ days, outdated }: { days: number | null; outdated: boolean }) {
  const translate = useTranslate();
  if (days === null) return null;
  return (
    <Chip
      size="small"
      color={outdated ? 'error' : 'success'}
      variant={outdated ? 'filled' : 'outlined'}
      label={translate(k('age_days'), { smart_count: days })}
      data-testid="antivirus-signature-age"
    />
  );
}

export function ResultChip({ result }: { result: AntivirusScan['result'] }) {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      color={resultColour(result)}
      label={translate(k(`results.${result ?? 'none'}`))}
      data-testid="antivirus-result"
    />
  );
}
