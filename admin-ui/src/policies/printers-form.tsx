import {
  ArrayInput,
  FormDataConsumer,
  NullableBooleanInput,
  required,
  SelectInput,
  SimpleFormIterator,
  TextInput,
  useTranslate,
} from 'react-admin';
import { useWatch } from 'react-hook-form';

const driverChoices = ['everywhere', 'ppd', 'raw'].map((id) => ({
  id,
  name: `bascule.policies.printers.driver.${id}`,
}));
const duplexChoices = ['one-sided', 'two-sided-long-edge', 'two-sided-short-edge'].map((id) => ({
  id,
  name: `bascule.policies.printers.duplex.${id}`,
}));
const paperChoices = ['A4', 'A3', 'A5', 'Letter', 'Legal'].map((id) => ({ id, name: id }));

/** One printer: queue name, URI, driver, where it is, and its default options. */
function PrinterInputs() {
  return (
    <>
      <TextInput
        source="name"
        label="bascule.policies.printers.fields.name"
        validate={required()}
        helperText="bascule.policies.printers.name_help"
      />
      <TextInput
        source="uri"
        label="bascule.policies.printers.fields.uri"
        validate={required()}
        helperText="bascule.policies.printers.uri_help"
        fullWidth
      />
      <SelectInput
        source="driver.kind"
        label="bascule.policies.printers.fields.kind"
        choices={driverChoices}
        validate={required()}
        defaultValue="everywhere"
      />
      <FormDataConsumer<{ driver?: { kind?: string } }>>
        {({ scopedFormData }) =>
          scopedFormData?.driver?.kind === 'ppd' ? (
            <TextInput
              source="driver.model"
              label="bascule.policies.printers.fields.model"
              validate={required()}
              helperText="bascule.policies.printers.model_help"
              fullWidth
            />
          ) : null
        }
      </FormDataConsumer>
      <TextInput source="location" label="bascule.policies.printers.fields.location" />
      <TextInput source="description" label="bascule.policies.printers.fields.description" />
      <SelectInput
        source="options.duplex"
        label="bascule.policies.printers.fields.duplex"
        choices={duplexChoices}
        emptyText="bascule.policies.printers.unset"
      />
      <NullableBooleanInput
        source="options.color"
        label="bascule.policies.printers.fields.color"
        nullLabel="bascule.policies.printers.unset"
      />
      <SelectInput
        source="options.paperSize"
        label="bascule.policies.printers.fields.paperSize"
        choices={paperChoices}
        emptyText="bascule.policies.printers.unset"
      />
    </>
  );
}

/** The default printer is chosen among the queues above. */
function DefaultPrinterInput() {
  const printers = useWatch({ name: 'document.printers' }) as { name?: string }[] | undefined;
  const choices = (printers ?? []).filter((p) => p?.name).map((p) => ({ id: p.name, name: p.name }));
  return (
    <SelectInput
      source="document.default"
      label="bascule.policies.printers.fields.default"
      choices={choices}
      emptyText="bascule.policies.printers.no_default"
      helperText="bascule.policies.printers.default_help"
    />
  );
}

/** A `printers` policy: CUPS queues Bascule manages on each desktop (it never touches a user's own). */
export function PrintersForm() {
  const translate = useTranslate();
  return (
    <>
      <ArrayInput source="document.printers" label={translate('bascule.policies.printers.list')}>
        {/* Inline and wrapping: a printer takes three or four lines instead of ten. */}
        <SimpleFormIterator inline sx={{ '& .RaSimpleFormIterator-form': { flexWrap: 'wrap' } }}>
          <PrinterInputs />
        </SimpleFormIterator>
      </ArrayInput>
      <DefaultPrinterInput />
    </>
  );
}
