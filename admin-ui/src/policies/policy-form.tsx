import { Divider, Typography } from '@mui/material';
import {
  BooleanInput,
  FormDataConsumer,
  NumberInput,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
  useTranslate,
} from 'react-admin';
import { AdJoinForm } from './ad-join-form.js';
import { AgentUpdateForm } from './agent-update-form.js';
import { AntivirusForm } from './antivirus-form.js';
import { documentFor, POLICY_MODULES } from './policy.js';
import { PrintersForm } from './printers-form.js';
import { RemoteAppsForm } from './remote-apps-form.js';
import { RemoteShellForm } from './remote-shell-form.js';
import { WwanFailoverForm } from './wwan-failover-form.js';

export const moduleChoices = POLICY_MODULES.map((id) => ({ id, name: `bascule.policies.modules.${id}` }));

/** The body of `POST /policies` and `PUT /policies/{id}`: the hub's fields only, the document cleaned. */
export const toPolicyPayload = (data: Record<string, unknown>) => ({
  ...(data.id === undefined ? { module: data.module } : {}),
  name: data.name,
  description: data.description ?? '',
  priority: typeof data.priority === 'number' ? data.priority : 0,
  document: documentFor(String(data.module), data.document),
  deploy: data.deploy !== false,
  ...(typeof data.comment === 'string' && data.comment ? { comment: data.comment } : {}),
});

function ModuleDocument() {
  const translate = useTranslate();
  return (
    <FormDataConsumer<{ module?: string }>>
      {({ formData }) => (
        <>
          <Divider flexItem sx={{ my: 2 }} />
          <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
            {translate(`bascule.policies.modules.${formData.module ?? 'printers'}`)}
          </Typography>
          {formData.module === 'ad-join' ? (
            <AdJoinForm />
          ) : formData.module === 'printers' ? (
            <PrintersForm />
          ) : formData.module === 'remote-shell' ? (
            <RemoteShellForm />
          ) : formData.module === 'antivirus' ? (
            <AntivirusForm />
          ) : formData.module === 'agent-update' ? (
            <AgentUpdateForm />
          ) : formData.module === 'wwan-failover' ? (
            <WwanFailoverForm />
          ) : formData.module === 'remote-apps' ? (
            <RemoteAppsForm />
          ) : null}
        </>
      )}
    </FormDataConsumer>
  );
}

/**
 * A policy: its module, name and precedence, the module's own form, and how the saved revision
 * goes out (to every targeted device now, or kept for a staged rollout).
 */
export function PolicyForm({ creating = false }: { creating?: boolean }) {
  return (
    <SimpleForm sx={{ maxWidth: 960 }} defaultValues={{ deploy: true }}>
      <SelectInput
        source="module"
        choices={moduleChoices}
        validate={required()}
        disabled={!creating}
        helperText={creating ? 'bascule.policies.module_help' : false}
      />
      <TextInput source="name" validate={required()} fullWidth />
      <TextInput source="description" multiline fullWidth />
      <NumberInput source="priority" helperText="bascule.policies.priority_help" />
      <ModuleDocument />
      <Divider flexItem sx={{ my: 2 }} />
      <TextInput source="comment" helperText="bascule.policies.comment_help" fullWidth />
      <BooleanInput source="deploy" helperText="bascule.policies.deploy_help" />
    </SimpleForm>
  );
}
