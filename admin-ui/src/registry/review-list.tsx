import { Box, Button, Typography } from '@mui/material';
import {
  Datagrid,
  FunctionField,
  List,
  SelectInput,
  TextField,
  useNotify,
  usePermissions,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { DateField } from '../devices/date-field.js';
import { errorText } from './error-text.js';
import type { ReviewItem } from './registry.js';
import { resolveReview } from './registry-api.js';
import { StatusChip } from './status-chip.js';

const STATES = ['open', 'linked', 'kept-apart'].map((id) => ({ id, name: `bascule.registry.review_states.${id}` }));

const filters = [<SelectInput key="state" source="state" choices={STATES} emptyText="bascule.registry.any" alwaysOn />];

/** Link the device to one candidate, or keep it apart; nothing was merged by the hub. */
function Decide({ item }: { item: ReviewItem }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { permissions } = usePermissions();
  if (item.state !== 'open') return <>{translate(`bascule.registry.review_states.${item.state}`)}</>;
  if (permissions !== 'admin' && permissions !== 'helpdesk') return null;
  const act = async (action: Parameters<typeof resolveReview>[1], done: string) => {
    try {
      await resolveReview(item.id, action);
      notify(`bascule.registry.reviews.${done}`, { type: 'success' });
      refresh();
    } catch (e) {
      notify(errorText(translate, e), { type: 'error' });
    }
  };
  return (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }} onClick={(e) => e.stopPropagation()}>
      {item.candidates.map((c) => (
        <Button
          key={c.id}
          size="small"
          variant="outlined"
          disabled={c.deviceId !== null && c.deviceId !== item.deviceId}
          onClick={() => act({ action: 'link', machineId: c.id }, 'linked')}
        >
          {translate('bascule.registry.reviews.link', { hostname: c.hostname ?? c.serial ?? c.id })}
        </Button>
      ))}
      <Button size="small" onClick={() => act({ action: 'keep-apart' }, 'kept_apart')}>
        {translate('bascule.registry.reviews.keep_apart')}
      </Button>
    </Box>
  );
}

/** The ambiguous matches, for a person to decide. */
export function ReviewList() {
  const translate = useTranslate();
  return (
    <>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
        {translate('bascule.registry.reviews.help')}
      </Typography>
      <List
        filters={filters}
        filterDefaultValues={{ state: 'open' }}
        sort={{ field: 'createdAt', order: 'DESC' }}
        exporter={false}
      >
        <Datagrid bulkActionButtons={false} rowClick={false}>
          <TextField source="hostname" emptyText="—" />
          <TextField source="serial" emptyText="—" />
          <FunctionField<ReviewItem>
            source="level"
            sortable={false}
            render={(r) => translate(`bascule.registry.levels.${r.level}`)}
          />
          <FunctionField<ReviewItem>
            source="candidates"
            sortable={false}
            render={(r) => (
              <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.5 }}>
                {r.candidates.map((c) => (
                  <Box key={c.id} sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
                    <span>{[c.hostname, c.serial, c.department].filter(Boolean).join(' · ')}</span>
                    <StatusChip status={c.status} />
                  </Box>
                ))}
              </Box>
            )}
          />
          <DateField source="createdAt" relative />
          <FunctionField<ReviewItem> source="state" sortable={false} render={(r) => <Decide item={r} />} />
        </Datagrid>
      </List>
    </>
  );
}
