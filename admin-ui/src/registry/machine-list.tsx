import UploadIcon from '@mui/icons-material/UploadFile';
import { Button } from '@mui/material';
import {
  Datagrid,
  FilterButton,
  FunctionField,
  List,
  SearchInput,
  SelectInput,
  TextField,
  TopToolbar,
  usePermissions,
  useTranslate,
} from 'react-admin';
import { Link } from 'react-router';
import { DateField } from '../devices/date-field.js';
import { CsvExportButton } from './csv-export-button.js';
import { EXCEPTION_REASONS, MACHINE_STATUSES, PHASES, type RegistryMachine } from './registry.js';
import { StatusChip } from './status-chip.js';
import { useRegistryDepartments } from './use-departments.js';

export const IMPORT_PATH = '/registry-import';

const choices = (ids: readonly string[], prefix: string) => ids.map((id) => ({ id, name: `${prefix}.${id}` }));

function DepartmentFilter(props: { source: string; alwaysOn?: boolean }) {
  const { choices: options, isPending } = useRegistryDepartments();
  return (
    <SelectInput
      {...props}
      choices={options}
      isPending={isPending}
      emptyText="bascule.registry.any"
      sx={{ minWidth: 240 }}
    />
  );
}

function QueryInput(props: { source: string; alwaysOn?: boolean }) {
  const translate = useTranslate();
  return (
    <SearchInput {...props} placeholder={translate('resources.registry-machines.fields.q')} sx={{ minWidth: 360 }} />
  );
}

const filters = [
  <QueryInput key="q" source="q" alwaysOn />,
  <DepartmentFilter key="departmentId" source="departmentId" alwaysOn />,
  <SelectInput
    key="status"
    source="status"
    choices={choices(MACHINE_STATUSES, 'bascule.registry.statuses')}
    emptyText="bascule.registry.any"
    alwaysOn
  />,
  <SelectInput
    key="phase"
    source="phase"
    choices={choices(PHASES, 'bascule.registry.phases')}
    emptyText="bascule.registry.any"
  />,
  <SelectInput
    key="exceptionReason"
    source="exceptionReason"
    choices={choices(EXCEPTION_REASONS, 'bascule.registry.reasons')}
    emptyText="bascule.registry.any"
  />,
];

function ListActions() {
  const { permissions } = usePermissions();
  const translate = useTranslate();
  return (
    <TopToolbar>
      <FilterButton />
      {permissions === 'admin' ? (
        <Button component={Link} to={IMPORT_PATH} size="small" startIcon={<UploadIcon />}>
          {translate('bascule.registry.import.menu')}
        </Button>
      ) : null}
      <CsvExportButton route="registry/machines" />
    </TopToolbar>
  );
}

/** Every machine of the organisation, migrated or not; filtered and sorted by the hub. */
export function MachineList() {
  return (
    <List filters={filters} sort={{ field: 'hostname', order: 'ASC' }} perPage={25} actions={<ListActions />}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="hostname" sx={{ fontWeight: 500 }} emptyText="—" />
        <TextField source="serial" emptyText="—" />
        <TextField source="department" emptyText="—" />
        <TextField source="mainUser" emptyText="—" />
        <FunctionField<RegistryMachine>
          source="status"
          sortBy="status"
          render={(r) => <StatusChip status={r.status} />}
        />
        <FunctionField<RegistryMachine> source="phase" sortable={false} render={(r) => <PhaseText phase={r.phase} />} />
        <TextField source="os" emptyText="—" />
        <DateField source="statusChangedAt" relative />
      </Datagrid>
    </List>
  );
}

function PhaseText({ phase }: { phase: RegistryMachine['phase'] }) {
  const translate = useTranslate();
  return <>{phase ? translate(`bascule.registry.phases.${phase}`) : '—'}</>;
}
