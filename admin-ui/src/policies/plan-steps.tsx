import { List, ListItem, ListItemText, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { PlanStep } from './policy.js';

/** What an agent module did, step by step, each with its outcome (and its error when it failed). */
export function PlanSteps({ steps }: { steps: readonly PlanStep[] }) {
  const translate = useTranslate();
  if (steps.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('bascule.compliance.no_steps')}
      </Typography>
    );
  }
  return (
    <List dense>
      {steps.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: steps are an ordered plan, their position is their identity
        <ListItem key={i}>
          <ListItemText
            primary={`${translate(`bascule.compliance.outcome.${s.outcome}`)} — ${s.description}`}
            secondary={s.error}
          />
        </ListItem>
      ))}
    </List>
  );
}
