import { useQuery } from '@tanstack/react-query';
import { Datagrid, FunctionField, List, SelectInput, TextField, TopToolbar, useTranslate } from 'react-admin';
import { DateField } from '../devices/date-field.js';
import { CampaignButton } from './campaign-button.js';
import { departmentLabels, VOLUNTEER_STATES, type Volunteer } from './volunteer.js';
import { VolunteerActions } from './volunteer-actions.js';
import { registryDepartments } from './volunteer-api.js';

const filters = [
  <SelectInput
    key="state"
    source="state"
    choices={VOLUNTEER_STATES.map((id) => ({ id, name: `bascule.volunteers.states.${id}` }))}
    alwaysOn
  />,
];

/** The requests filed through the sign-up links, waiting ones first by default; IT accepts or refuses them. */
export function VolunteerList() {
  const translate = useTranslate();
  const departments = useQuery({ queryKey: ['registry-departments'], queryFn: registryDepartments });
  const names = new Map(departmentLabels(departments.data ?? []).map((d) => [d.id, d.name]));
  return (
    <List
      actions={
        <TopToolbar>
          <CampaignButton />
        </TopToolbar>
      }
      filters={filters}
      filterDefaultValues={{ state: 'waiting' }}
      sort={{ field: 'createdAt', order: 'ASC' }}
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <DateField source="createdAt" />
        <TextField source="name" sortable={false} />
        <FunctionField<Volunteer>
          source="departmentId"
          sortable={false}
          render={(r) => (r.departmentId ? (names.get(r.departmentId) ?? '—') : '—')}
        />
        <FunctionField<Volunteer>
          source="machine"
          sortable={false}
          render={(r) =>
            r.state === 'waiting'
              ? `${r.machine} (${
                  r.matchingMachineIds.length
                    ? translate('bascule.volunteers.matches', { smart_count: r.matchingMachineIds.length })
                    : translate('bascule.volunteers.no_match')
                })`
              : r.machine
          }
        />
        <TextField source="constraints" sortable={false} />
        <TextField source="email" sortable={false} emptyText="—" />
        <FunctionField<Volunteer>
          source="state"
          sortable={false}
          render={(r) => translate(`bascule.volunteers.states.${r.state}`)}
        />
        <VolunteerActions />
      </Datagrid>
    </List>
  );
}
