import {
  ArrayInput,
  BooleanInput,
  CheckboxGroupInput,
  maxValue,
  minValue,
  NumberInput,
  number,
  required,
  SelectInput,
  SimpleFormIterator,
  TextArrayInput,
  TextInput,
  useTranslate,
} from 'react-admin';
import {
  validateClockTime,
  validateDays,
  validateExclusions,
  validateMirrorUrl,
  validatePaths,
  WEEKDAYS,
} from './antivirus-policy.js';

const t = (key: string) => `bascule.policies.antivirus.${key}`;
const field = (key: string) => t(`fields.${key}`);
const actionChoices = ['quarantine', 'report'].map((id) => ({ id, name: t(`action.${id}`) }));
const dayChoices = WEEKDAYS.map((id) => ({ id, name: t(`days.${id}`) }));

/** One scheduled scan: what, which days, within which window of the desktop's local time. */
function ScheduleInputs() {
  return (
    <>
      <TextArrayInput
        source="paths"
        label={field('paths')}
        validate={validatePaths}
        helperText={t('paths_help')}
        sx={{ minWidth: 320 }}
      />
      <CheckboxGroupInput
        source="days"
        label={field('days')}
        choices={dayChoices}
        validate={validateDays}
        defaultValue={[...WEEKDAYS]}
      />
      <TextInput
        source="windowStart"
        label={field('windowStart')}
        defaultValue="12:00"
        validate={[required(), validateClockTime]}
        helperText={t('window_help')}
        sx={{ width: 200 }}
      />
      <TextInput
        source="windowEnd"
        label={field('windowEnd')}
        defaultValue="14:00"
        validate={[required(), validateClockTime]}
        sx={{ width: 200 }}
      />
    </>
  );
}

/** An `antivirus` policy: ClamAV's signatures, daemon, scheduled scans and what to do with infected files. */
export function AntivirusForm() {
  const translate = useTranslate();
  return (
    <>
      <TextInput
        source="document.signatures.mirrorUrl"
        label={field('mirrorUrl')}
        validate={validateMirrorUrl}
        helperText={t('mirror_help')}
        fullWidth
      />
      <NumberInput
        source="document.signatures.checksPerDay"
        label={field('checksPerDay')}
        min={1}
        max={24}
        step={1}
        validate={[required(), number(), minValue(1), maxValue(24)]}
        helperText={t('checks_help')}
      />
      <BooleanInput source="document.daemon" label={field('daemon')} helperText={t('daemon_help')} />
      <ArrayInput source="document.schedules" label={translate(field('schedules'))} helperText={t('schedules_help')}>
        <SimpleFormIterator inline sx={{ '& .RaSimpleFormIterator-form': { flexWrap: 'wrap' } }}>
          <ScheduleInputs />
        </SimpleFormIterator>
      </ArrayInput>
      <TextArrayInput
        source="document.exclusions"
        label={field('exclusions')}
        validate={validateExclusions}
        helperText={t('exclusions_help')}
        fullWidth
      />
      <SelectInput
        source="document.action"
        label={field('action')}
        choices={actionChoices}
        validate={required()}
        helperText={t('action_help')}
      />
      <BooleanInput source="document.onlyOnMainsPower" label={field('onlyOnMainsPower')} helperText={t('mains_help')} />
      <BooleanInput source="document.lowPriority" label={field('lowPriority')} helperText={t('priority_help')} />
      <BooleanInput source="document.scanBeforeVpn" label={field('scanBeforeVpn')} helperText={t('vpn_help')} />
      <NumberInput
        source="document.maxFileSizeMiB"
        label={field('maxFileSizeMiB')}
        min={1}
        max={4096}
        step={1}
        validate={[required(), number(), minValue(1), maxValue(4096)]}
        helperText={t('max_size_help')}
      />
    </>
  );
}
