import {
  Datagrid,
  downloadCSV,
  type Exporter,
  FunctionField,
  List,
  SearchInput,
  SelectArrayInput,
  SelectInput,
  TextField,
  useTranslate,
} from 'react-admin';
import { DateField } from '../devices/date-field.js';
import { DepartmentInput } from '../devices/department-input.js';
import type { AntivirusFleetRow } from './antivirus.js';
import { ResultChip, SignatureAge } from './antivirus-chips.js';
import { fleetCsv } from './antivirus-csv.js';

const resultChoices = ['clean', 'infected', 'error', 'none'].map((id) => ({
  id,
  name: `bascule.antivirus.results.${id}`,
}));

/** The hub filters on JSON booleans; the select works on strings. */
function YesNoInput(props: { source: string; label: string; alwaysOn?: boolean; sx?: Record<string, unknown> }) {
  return (
    <SelectInput
      {...props}
      choices={[
        { id: 'true', name: 'ra.boolean.true' },
        { id: 'false', name: 'ra.boolean.false' },
      ]}
      emptyText="bascule.status.any"
      format={(v: unknown) => (v === true ? 'true' : v === false ? 'false' : '')}
      parse={(v: string) => (v === 'true' ? true : v === 'false' ? false : undefined)}
    />
  );
}

function QueryInput(props: { source: string; alwaysOn?: boolean }) {
  const translate = useTranslate();
  return <SearchInput {...props} placeholder={translate('resources.antivirus.fields.q')} sx={{ minWidth: 240 }} />;
}

const filters = [
  <QueryInput key="q" source="q" alwaysOn />,
  <DepartmentInput key="department" source="department" alwaysOn />,
  <SelectArrayInput key="lastResult" source="lastResult" choices={resultChoices} alwaysOn sx={{ minWidth: 200 }} />,
  <YesNoInput
    key="outdated"
    source="outdated"
    label="resources.antivirus.fields.outdated"
    alwaysOn
    sx={{ minWidth: 260 }}
  />,
  <YesNoInput key="detections" source="detections" label="resources.antivirus.fields.detections" />,
  <YesNoInput key="installed" source="installed" label="resources.antivirus.fields.installed" />,
];

/** The CSV in the UI's language: the same columns as the list, dates as ISO 8601. */
function useExporter(): Exporter<AntivirusFleetRow> {
  const translate = useTranslate();
  return (rows) => downloadCSV(fleetCsv(rows, translate), 'antivirus');
}

/** The fleet's antivirus: one row per device, aggregated, sorted and filtered by the hub. */
export function AntivirusList() {
  const exporter = useExporter();
  return (
    <List
      filters={filters}
      sort={{ field: 'hostname', order: 'ASC' }}
      perPage={25}
      exporter={exporter}
      queryOptions={{ refetchInterval: 30_000 }}
    >
      <Datagrid
        rowClick={(id) => `/devices/${encodeURIComponent(String(id))}/show/antivirus`}
        bulkActionButtons={false}
      >
        <TextField source="hostname" sx={{ fontWeight: 500 }} />
        <TextField source="department" emptyText="—" />
        <DateField source="lastScanAt" relative />
        <FunctionField<AntivirusFleetRow>
          source="lastResult"
          sortBy="lastResult"
          render={(r) => <ResultChip result={r.lastResult} />}
        />
        <FunctionField<AntivirusFleetRow>
          source="detections30d"
          sortBy="detections30d"
          render={(r) => r.detections30d}
        />
        <FunctionField<AntivirusFleetRow>
          source="signatureAgeDays"
          sortBy="signatureAgeDays"
          render={(r) =>
            r.signatureAgeDays === null ? (
              '—'
            ) : (
              <SignatureAge days={r.signatureAgeDays} outdated={r.signatureOutdated} />
            )
          }
        />
        <TextField source="signatureVersion" emptyText="—" />
      </Datagrid>
    </List>
  );
}
