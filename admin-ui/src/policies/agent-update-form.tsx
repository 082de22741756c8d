import {
  BooleanInput,
  FormDataConsumer,
  required,
  SelectInput,
  useGetList,
  useLocaleState,
  useTranslate,
} from 'react-admin';

/** One package of `GET /api/v1/agent-packages` (the hub's store for self-update). */
interface AgentPackage {
  id: string;
  version: string;
  bytes: number;
  addedAt: string;
}

const mib = (bytes: number, locale: string) =>
  (bytes / 1024 / 1024).toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/**
 * An `agent-update` policy: the bascule-agent version the targeted desktops run, among those the hub
 * holds (highest first), and whether going back to an older one is allowed. A version the policy names
 * but the hub no longer holds stays selectable, marked, so that editing the policy does not lose it.
 */
export function AgentUpdateForm() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { data, isPending, error } = useGetList<AgentPackage>('agent-packages', {
    pagination: { page: 1, perPage: 100 },
    sort: { field: 'version', order: 'DESC' },
  });
  const packages = data ?? [];
  return (
    <FormDataConsumer<{ document?: { version?: string } }>>
      {({ formData }) => {
        const current = formData.document?.version;
        const choices = packages.map((p) => ({
          id: p.version,
          name: translate('bascule.policies.agent_update.version_choice', {
            version: p.version,
            size: mib(p.bytes, locale),
            added: new Date(p.addedAt).toLocaleDateString(locale),
          }),
        }));
        if (current && !packages.some((p) => p.version === current)) {
          choices.push({
            id: current,
            name: translate('bascule.policies.agent_update.missing_choice', { version: current }),
          });
        }
        const help = error
          ? translate('bascule.policies.agent_update.list_error', { error: String(error.message ?? error) })
          : !isPending && packages.length === 0
            ? translate('bascule.policies.agent_update.no_package')
            : translate('bascule.policies.agent_update.version_help');
        return (
          <>
            <SelectInput
              source="document.version"
              label="bascule.policies.agent_update.fields.version"
              choices={choices}
              isPending={isPending}
              validate={required()}
              helperText={help}
              translateChoice={false}
              sx={{ minWidth: 360 }}
            />
            <BooleanInput
              source="document.allowDowngrade"
              label="bascule.policies.agent_update.fields.allowDowngrade"
              helperText="bascule.policies.agent_update.downgrade_help"
            />
          </>
        );
      }}
    </FormDataConsumer>
  );
}
