import { useEffect } from 'react';
import {
  ArrayInput,
  AutocompleteInput,
  BooleanInput,
  Create,
  FormDataConsumer,
  Loading,
  NumberInput,
  ReferenceInput,
  required,
  SelectInput,
  SimpleForm,
  SimpleFormIterator,
  useGetList,
  useGetOne,
} from 'react-admin';
import { useFormContext, useWatch } from 'react-hook-form';
import type { Policy } from '../policies/policy.js';
import { useRevisions } from '../policies/policy-api.js';
import { DEFAULT_PLAN, type Ring } from './rollout.js';

const kindChoices = ['group', 'percent'].map((id) => ({ id, name: `bascule.rollouts.ring_kinds.${id}` }));

/** The revisions of the chosen policy; the latest is proposed when the policy changes. */
function RevisionInput() {
  const policyId = useWatch({ name: 'policyId' }) as string | undefined;
  const { setValue, getValues } = useFormContext();
  const { data: policy } = useGetOne<Policy>('policies', { id: policyId ?? '' }, { enabled: !!policyId });
  const { data: revisions = [] } = useRevisions(policyId || undefined);
  useEffect(() => {
    if (policy && !getValues('revision')) setValue('revision', policy.latestRevision);
  }, [policy, getValues, setValue]);
  const choices = revisions.map((r) => ({
    id: r.revision,
    name: r.comment ? `${r.revision} — ${r.comment}` : String(r.revision),
    disabled: r.deployed,
  }));
  return (
    <SelectInput
      source="revision"
      label="bascule.rollouts.fields.revision"
      choices={choices}
      validate={required()}
      helperText="bascule.rollouts.revision_help"
    />
  );
}

function GroupRingInput() {
  const { data: groups = [] } = useGetList('groups', { pagination: { page: 1, perPage: 1000 } });
  return (
    <SelectInput
      source="group"
      label="bascule.rollouts.fields.group"
      choices={groups.map((g) => ({ id: g.name, name: `${g.name} (${g.members ?? 0})` }))}
      validate={required()}
    />
  );
}

/** The waves as the hub takes them; a group ring carries the group's name (the hub resolves it). */
const toRolloutPayload = (data: Record<string, unknown>) => {
  const plan = (data.plan ?? {}) as Partial<typeof DEFAULT_PLAN> & {
    rings?: Partial<Ring & { group: string; percent: number }>[];
  };
  return {
    policyId: data.policyId,
    revision: Number(data.revision),
    plan: {
      rings: (plan.rings ?? []).map((r) =>
        r.kind === 'group' ? { kind: 'group', group: r.group } : { kind: 'percent', percent: r.percent },
      ),
      soakMinutes: plan.soakMinutes ?? 0,
      maxFailureRate: plan.maxFailureRate ?? 0,
      autoAdvance: plan.autoAdvance !== false,
    },
  };
};

/** Default rings: the canary and beta groups when they exist, then 10 %, 50 %, 100 % of the targeted devices. */
function useDefaultPlan() {
  const { data: groups } = useGetList('groups', { pagination: { page: 1, perPage: 1000 } });
  if (!groups) return undefined;
  const names = new Set((groups ?? []).map((g) => g.name as string));
  return {
    ...DEFAULT_PLAN,
    rings: DEFAULT_PLAN.rings.filter((r) => r.kind !== 'group' || names.has(r.group)),
  };
}

export function RolloutCreate() {
  const plan = useDefaultPlan();
  // The form takes its defaults once: wait for the groups so the canary and beta rings are in them.
  if (!plan) return <Loading />;
  return (
    <Create transform={toRolloutPayload} redirect="show">
      <SimpleForm sx={{ maxWidth: 900 }} defaultValues={{ plan }}>
        <ReferenceInput source="policyId" reference="policies">
          <AutocompleteInput
            label="bascule.rollouts.fields.policy"
            optionText="name"
            filterToQuery={() => ({})}
            validate={required()}
            fullWidth
          />
        </ReferenceInput>
        <RevisionInput />
        <ArrayInput source="plan.rings" label="bascule.rollouts.fields.rings" helperText="bascule.rollouts.rings_help">
          <SimpleFormIterator inline>
            <SelectInput
              source="kind"
              label="bascule.rollouts.fields.kind"
              choices={kindChoices}
              validate={required()}
              defaultValue="percent"
            />
            <FormDataConsumer<{ kind?: string }>>
              {({ scopedFormData }) =>
                scopedFormData?.kind === 'group' ? (
                  <GroupRingInput />
                ) : (
                  <NumberInput
                    source="percent"
                    label="bascule.rollouts.fields.percent"
                    min={1}
                    max={100}
                    validate={required()}
                  />
                )
              }
            </FormDataConsumer>
          </SimpleFormIterator>
        </ArrayInput>
        <NumberInput
          source="plan.soakMinutes"
          label="bascule.rollouts.fields.soakMinutes"
          min={0}
          helperText="bascule.rollouts.soak_help"
        />
        <NumberInput
          source="plan.maxFailureRate"
          label="bascule.rollouts.fields.maxFailureRate"
          min={0}
          max={100}
          format={(v: number | null | undefined) => (v === null || v === undefined ? '' : Math.round(v * 1000) / 10)}
          parse={(v: string) => (v === '' ? null : Number(v) / 100)}
          helperText="bascule.rollouts.failure_help"
        />
        <BooleanInput
          source="plan.autoAdvance"
          label="bascule.rollouts.fields.autoAdvance"
          helperText="bascule.rollouts.auto_help"
        />
      </SimpleForm>
    </Create>
  );
}
