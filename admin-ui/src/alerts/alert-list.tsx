import {
  AutocompleteInput,
  Datagrid,
  FunctionField,
  Link,
  List,
  ReferenceInput,
  SelectArrayInput,
  SelectInput,
  TextField,
  useTranslate,
} from 'react-admin';
import { DateField } from '../devices/date-field.js';
import { DepartmentInput } from '../devices/department-input.js';
import { useFormat } from '../format/use-format.js';
import { AcknowledgeButton, BulkAcknowledgeButton, useCanAcknowledge } from './acknowledge-button.js';
import { ACTIVE_STATES, ALERT_STATES, ALERT_TYPES, type Alert } from './alert.js';
import { describeAlert } from './alert-description.js';
import { AlertStateChip } from './alert-state-chip.js';

const stateChoices = ALERT_STATES.map((s) => ({ id: s, name: `resources.alerts.states.${s}` }));
const typeChoices = ALERT_TYPES.map((t) => ({ id: t, name: `resources.alerts.types.${t}` }));

const filters = [
  <SelectArrayInput key="state" source="state" choices={stateChoices} alwaysOn sx={{ minWidth: 220 }} />,
  <SelectInput key="type" source="type" choices={typeChoices} alwaysOn emptyText="bascule.status.any" />,
  <ReferenceInput key="deviceId" source="deviceId" reference="devices" alwaysOn>
    <AutocompleteInput
      optionText="hostname"
      filterToQuery={(q: string) => ({ q })}
      label="resources.alerts.fields.deviceId"
      sx={{ minWidth: 220 }}
    />
  </ReferenceInput>,
  <DepartmentInput key="department" source="department" alwaysOn />,
];

/** The alert in words: its type, then what it concerns ("Disque presque plein — /home plein à 96 %"). */
function AlertWhat() {
  const translate = useTranslate();
  const format = useFormat();
  return (
    <FunctionField<Alert>
      label="resources.alerts.fields.type"
      sortBy="type"
      render={(a) => (
        <>
          <strong>{translate(`resources.alerts.types.${a.type}`, { _: a.type })}</strong>
          <br />
          <span data-testid="alert-description">{describeAlert(a, translate, format)}</span>
        </>
      )}
    />
  );
}

/**
 * Alerts computed by the hub; filtered, sorted and paged by the hub. Open and acknowledged by
 * default: resolved ones are history, one click away in the state filter.
 */
export function AlertList() {
  const canAcknowledge = useCanAcknowledge();
  return (
    <List
      filters={filters}
      filterDefaultValues={{ state: ACTIVE_STATES }}
      sort={{ field: 'openedAt', order: 'DESC' }}
      perPage={25}
      queryOptions={{ refetchInterval: 60_000 }}
    >
      <Datagrid bulkActionButtons={canAcknowledge ? <BulkAcknowledgeButton /> : false} rowClick={false}>
        <AlertStateChip label="resources.alerts.fields.state" source="state" sortable />
        <AlertWhat />
        <FunctionField<Alert>
          label="resources.alerts.fields.hostname"
          sortBy="hostname"
          render={(a) => (
            <Link to={`/devices/${encodeURIComponent(a.deviceId)}/show`} sx={{ fontWeight: 500 }}>
              {a.hostname}
            </Link>
          )}
        />
        <TextField source="department" />
        <DateField source="openedAt" relative />
        <FunctionField<Alert>
          label="resources.alerts.fields.acknowledgedBy"
          sortable={false}
          render={(a) => (a.acknowledgedBy ? a.acknowledgedBy : '—')}
        />
        <DateField source="resolvedAt" relative />
        <AcknowledgeButton label="" />
      </Datagrid>
    </List>
  );
}
