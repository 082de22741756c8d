import {
  BooleanInput,
  FormDataConsumer,
  maxValue,
  minValue,
  NumberInput,
  number,
  PasswordInput,
  regex,
  required,
  SelectInput,
  TextInput,
} from 'react-admin';

const modeChoices = ['passive', 'on-demand'].map((id) => ({ id, name: `bascule.policies.wwan_failover.mode.${id}` }));
const modemChoices = ['first', 'imei'].map((id) => ({ id, name: `bascule.policies.wwan_failover.modem.${id}` }));
const f = (name: string) => `bascule.policies.wwan_failover.fields.${name}`;
const h = (name: string) => `bascule.policies.wwan_failover.help.${name}`;

/**
 * A `wwan-failover` policy: the modem, the operator's APN and the one operator the profile is pinned to,
 * the SIM PIN (write-only: the hub shows `[secret]` and keeps the stored PIN when it comes back so), the
 * mode and the data plan.
 */
export function WwanFailoverForm() {
  return (
    <>
      <SelectInput source="document.modem.select" label={f('modem')} choices={modemChoices} validate={required()} />
      <FormDataConsumer<{ document?: { modem?: { select?: string } } }>>
        {({ formData }) =>
          formData.document?.modem?.select === 'imei' ? (
            <TextInput
              source="document.modem.imei"
              label={f('imei')}
              validate={[required(), regex(/^\d{14,16}$/, 'bascule.policies.wwan_failover.errors.imei')]}
            />
          ) : null
        }
      </FormDataConsumer>
      <TextInput source="document.apn" label={f('apn')} validate={required()} helperText={h('apn')} />
      <TextInput source="document.username" label={f('username')} />
      <PasswordInput source="document.password" label={f('password')} helperText={h('secret')} />
      <PasswordInput
        source="document.simPin"
        label={f('simPin')}
        helperText={h('simPin')}
        validate={regex(/^(\d{4,8}|\[secret\])$/, 'bascule.policies.wwan_failover.errors.pin')}
      />
      <TextInput
        source="document.operator"
        label={f('operator')}
        helperText={h('operator')}
        validate={[required(), regex(/^\d{5,6}$/, 'bascule.policies.wwan_failover.errors.operator')]}
      />
      <BooleanInput source="document.homeOnly" label={f('homeOnly')} />
      <SelectInput
        source="document.mode"
        label={f('mode')}
        choices={modeChoices}
        validate={required()}
        helperText={h('mode')}
      />
      <NumberInput
        source="document.downAfterSeconds"
        label={f('downAfterSeconds')}
        validate={[number(), minValue(1), maxValue(3600)]}
      />
      <NumberInput source="document.upAfterSeconds" label={f('upAfterSeconds')} validate={[number(), minValue(1)]} />
      <NumberInput
        source="document.routeMetric"
        label={f('routeMetric')}
        helperText={h('routeMetric')}
        validate={[number(), minValue(101), maxValue(65535)]}
      />
      <NumberInput
        source="document.monthlyCapMiB"
        label={f('monthlyCapMiB')}
        helperText={h('monthlyCapMiB')}
        validate={[number(), minValue(0)]}
      />
      <NumberInput
        source="document.monthStartDay"
        label={f('monthStartDay')}
        validate={[number(), minValue(1), maxValue(28)]}
      />
    </>
  );
}
