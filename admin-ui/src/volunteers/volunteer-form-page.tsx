import { Alert, Box, Button, Container, MenuItem, Paper, TextField, Typography } from '@mui/material';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { volunteersEn } from '../i18n/volunteers-en.js';
import { volunteersFr } from '../i18n/volunteers-fr.js';
import { departmentLabels, type VolunteerFormData } from './volunteer.js';
import { FormError, loadVolunteerForm, sendVolunteerForm } from './volunteer-api.js';

/** `/volontaires/{token}`: the link IT shares; the page is served outside the admin (no account). */
export const VOLUNTEER_FORM_PREFIX = '/volontaires/';

const FIELDS = ['name', 'departmentId', 'machine', 'constraints', 'email', 'website'] as const;
type Field = (typeof FIELDS)[number];

/** French unless the browser asks for English. */
function messages() {
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('en')
    ? volunteersEn.form
    : volunteersFr.form;
}

function errorText(t: ReturnType<typeof messages>, err: unknown): string {
  if (!(err instanceof FormError)) return t.error.replace('%{message}', String(err));
  if (err.status === 404) return t.invalid_link;
  if (err.status === 429) return t.too_many;
  if (err.message === 'the form was sent too fast') return t.too_fast;
  if (err.message.startsWith('the form is too old')) return t.stale;
  return t.error.replace('%{message}', err.message);
}

/** The public volunteer form: name, department, machine, business software, optional e-mail. */
export function VolunteerFormPage({ token }: { token: string }) {
  const t = useMemo(messages, []);
  const [form, setForm] = useState<VolunteerFormData>();
  const [values, setValues] = useState<Record<Field, string>>({
    name: '',
    departmentId: '',
    machine: '',
    constraints: '',
    email: '',
    website: '',
  });
  const [error, setError] = useState<string>();
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState(false);

  useEffect(() => {
    document.documentElement.lang = t === volunteersFr.form ? 'fr' : 'en';
    document.title = t.title;
    loadVolunteerForm(token).then(setForm, (err: unknown) => setError(errorText(t, err)));
  }, [token, t]);

  const set = (f: Field) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [f]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    setSending(true);
    setError(undefined);
    try {
      await sendVolunteerForm(token, { ...values, ticket: form.ticket });
      setSent(true);
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setSending(false);
    }
  };

  return (
    <Container maxWidth="sm" sx={{ py: 4 }}>
      <Paper sx={{ p: 3 }}>
        <Typography variant="h5" component="h1" gutterBottom>
          {t.title}
        </Typography>
        {form ? (
          <Typography variant="subtitle1" color="text.secondary" gutterBottom>
            {form.campaign}
          </Typography>
        ) : null}
        {sent ? (
          <Alert severity="success" role="status">
            <strong>{t.sent_title}</strong> {t.sent}
          </Alert>
        ) : (
          <>
            <Typography sx={{ mb: 2 }}>{t.intro}</Typography>
            {error ? (
              <Alert severity="error" role="alert" sx={{ mb: 2 }}>
                {error}
              </Alert>
            ) : null}
            {form ? (
              <Box component="form" onSubmit={submit} sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
                <TextField name="name" label={t.name} value={values.name} onChange={set('name')} required />
                <TextField
                  name="departmentId"
                  select
                  label={t.department}
                  value={values.departmentId}
                  onChange={set('departmentId')}
                >
                  <MenuItem value="">{t.no_department}</MenuItem>
                  {departmentLabels(form.departments).map((d) => (
                    <MenuItem key={d.id} value={d.id}>
                      {d.name}
                    </MenuItem>
                  ))}
                </TextField>
                <TextField name="machine" label={t.machine} value={values.machine} onChange={set('machine')} required />
                <TextField
                  name="constraints"
                  label={t.constraints}
                  value={values.constraints}
                  onChange={set('constraints')}
                  multiline
                  minRows={2}
                />
                <TextField name="email" type="email" label={t.email} value={values.email} onChange={set('email')} />
                {/* The honeypot: out of sight and out of the tab order; a person leaves it empty. */}
                <Box
                  aria-hidden="true"
                  sx={{ position: 'absolute', left: '-10000px', width: 1, height: 1, overflow: 'hidden' }}
                >
                  <label>
                    {t.honeypot}
                    <input
                      name="website"
                      tabIndex={-1}
                      autoComplete="off"
                      value={values.website}
                      onChange={set('website')}
                    />
                  </label>
                </Box>
                <Button type="submit" variant="contained" disabled={sending}>
                  {sending ? t.sending : t.send}
                </Button>
              </Box>
            ) : null}
          </>
        )}
      </Paper>
    </Container>
  );
}
