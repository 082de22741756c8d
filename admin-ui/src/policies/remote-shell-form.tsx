import { BooleanInput, maxValue, minValue, NumberInput, number, required, SelectInput } from 'react-admin';

const consentChoices = ['never', 'when-signed-in', 'always'].map((id) => ({
  id,
  name: `bascule.policies.remote_shell.consent.${id}`,
}));

/** A `remote-shell` policy: allowed or not, and whether the person at the desktop must accept each session. */
export function RemoteShellForm() {
  return (
    <>
      <BooleanInput
        source="document.enabled"
        label="bascule.policies.remote_shell.fields.enabled"
        helperText="bascule.policies.remote_shell.enabled_help"
      />
      <SelectInput
        source="document.consent"
        label="bascule.policies.remote_shell.fields.consent"
        choices={consentChoices}
        validate={required()}
        helperText="bascule.policies.remote_shell.consent_help"
      />
      <NumberInput
        source="document.consentTimeoutSeconds"
        label="bascule.policies.remote_shell.fields.consentTimeoutSeconds"
        min={10}
        max={600}
        step={1}
        validate={[number(), minValue(10), maxValue(600)]}
        helperText="bascule.policies.remote_shell.timeout_help"
      />
    </>
  );
}
