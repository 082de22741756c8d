import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  FormControlLabel,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import { Title, useTranslate } from 'react-admin';
import { Link } from 'react-router';
import { useFormat } from '../format/use-format.js';
import { errorText } from './error-text.js';
import { type ColumnMapping, IMPORT_FIELDS, type ImportJob } from './registry.js';
import { confirmImport, getImport, putImportMapping, uploadImport } from './registry-api.js';
import { glpiMapping, importProgressPct, mappingIsUsable, sameMapping, setColumn } from './registry-mapping.js';

const k = (key: string) => `bascule.registry.import.${key}`;
const POLL_MS = 500;

/**
 * The CSV import: upload, detected columns mapped to the registry's fields (GLPI preset), preview and
 * per-line errors, then "Confirmer l'import" and the hub's progress. Nothing is imported before that.
 */
export function ImportWizard() {
  const translate = useTranslate();
  const [file, setFile] = useState<File | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (fn: () => Promise<ImportJob>) => {
    setBusy(true);
    setError(null);
    try {
      const next = await fn();
      setJob(next);
      setMapping(next.mapping);
    } catch (e) {
      setError(errorText(translate, e));
    } finally {
      setBusy(false);
    }
  };

  // While the hub imports, its progress is polled until the job is done or failed.
  const importing = job?.state === 'importing';
  const jobId = job?.id;
  useEffect(() => {
    if (!importing || !jobId) return;
    let stopped = false;
    const timer = setInterval(() => {
      getImport(jobId).then(
        (next) => {
          if (!stopped) setJob(next);
        },
        (e) => {
          if (!stopped) setError(errorText(translate, e));
        },
      );
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [importing, jobId, translate]);

  const reset = () => {
    setJob(null);
    setFile(null);
    setMapping({});
    setSkipInvalid(false);
    setError(null);
  };

  return (
    <Box sx={{ mt: 2, maxWidth: 1200 }}>
      <Title title={translate(k('title'))} />
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        {translate(k('title'))}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {translate(k('intro'))}
      </Typography>
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }} data-testid="import-error">
          {error}
        </Alert>
      ) : null}
      {!job ? (
        <Card variant="outlined">
          <CardContent sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
            <Button variant="outlined" component="label">
              {translate(k('file'))}
              <input
                hidden
                type="file"
                accept=".csv,text/csv,text/plain"
                data-testid="import-file"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
            </Button>
            <Typography variant="body2">{file?.name ?? ''}</Typography>
            <Button
              variant="contained"
              disabled={!file || busy}
              onClick={() => file && run(() => uploadImport(file, file.name))}
            >
              {busy ? translate(k('analysing')) : translate(k('analyse'))}
            </Button>
          </CardContent>
        </Card>
      ) : job.state === 'preview' ? (
        <PreviewStep
          job={job}
          mapping={mapping}
          setMapping={setMapping}
          skipInvalid={skipInvalid}
          setSkipInvalid={setSkipInvalid}
          busy={busy}
          onApply={() => run(() => putImportMapping(job.id, mapping))}
          onConfirm={() => run(() => confirmImport(job.id, skipInvalid))}
        />
      ) : (
        <ResultStep job={job} onAnother={reset} />
      )}
    </Box>
  );
}

function PreviewStep({
  job,
  mapping,
  setMapping,
  skipInvalid,
  setSkipInvalid,
  busy,
  onApply,
  onConfirm,
}: {
  job: ImportJob;
  mapping: ColumnMapping;
  setMapping: (m: ColumnMapping) => void;
  skipInvalid: boolean;
  setSkipInvalid: (v: boolean) => void;
  busy: boolean;
  onApply: () => void;
  onConfirm: () => void;
}) {
  const translate = useTranslate();
  const format = useFormat();
  const changed = !sameMapping(mapping, job.mapping);
  const errors = job.errors ?? [];
  const canConfirm =
    !busy && !changed && !job.mappingError && mappingIsUsable(job.mapping) && (job.errorLines === 0 || skipInvalid);
  const fieldName = (f: string | null) => (f ? translate(k(`fields.${f}`)) : '—');
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Card variant="outlined">
        <CardContent>
          <Typography variant="body2" data-testid="import-detected">
            {translate(k('detected'), {
              encoding: job.encoding === 'windows-1252' ? 'Windows-1252' : 'UTF-8',
              separator: job.separator === '\t' ? 'tab' : job.separator,
              lines: format.number(job.totalLines, 0),
            })}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {translate(k('columns'), { columns: job.columns.join(' · ') })}
          </Typography>
        </CardContent>
      </Card>
      <Card variant="outlined">
        <CardContent>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 2 }}>
            <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, flex: 1 }}>
              {translate(k('mapping'))}
            </Typography>
            <Button size="small" onClick={() => setMapping(glpiMapping(job.columns))}>
              {translate(k('glpi_preset'))}
            </Button>
          </Box>
          <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: 2 }}>
            {IMPORT_FIELDS.map((field) => (
              <TextField
                key={field}
                select
                size="small"
                label={translate(k(`fields.${field}`))}
                value={mapping[field] ?? ''}
                onChange={(e) => setMapping(setColumn(mapping, field, e.target.value))}
                slotProps={{
                  select: { native: true },
                  inputLabel: { shrink: true },
                  htmlInput: { 'data-testid': `import-map-${field}` },
                }}
              >
                <option value="">{translate(k('not_imported'))}</option>
                {job.columns.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </TextField>
            ))}
          </Box>
          <Box sx={{ mt: 2, display: 'flex', gap: 2, alignItems: 'center' }}>
            <Button variant="outlined" disabled={!changed || busy || !mappingIsUsable(mapping)} onClick={onApply}>
              {translate(k('apply_mapping'))}
            </Button>
            {!mappingIsUsable(mapping) ? (
              <Typography color="error" variant="body2">
                {translate(k('mapping_needed'))}
              </Typography>
            ) : changed ? (
              <Typography color="warning.main" variant="body2">
                {translate(k('mapping_changed'))}
              </Typography>
            ) : null}
          </Box>
        </CardContent>
      </Card>
      <Card variant="outlined">
        <CardContent>
          <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mb: 1 }}>
            {translate(k('preview'))}
          </Typography>
          <Table size="small" data-testid="import-preview">
            <TableHead>
              <TableRow>
                <TableCell>{translate(k('line'))}</TableCell>
                {IMPORT_FIELDS.map((f) => (
                  <TableCell key={f}>{fieldName(f)}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {(job.preview ?? []).map((p) => (
                <TableRow key={p.line}>
                  <TableCell>{p.line}</TableCell>
                  <TableCell>{p.serial ?? '—'}</TableCell>
                  <TableCell>{p.hostname ?? '—'}</TableCell>
                  <TableCell>{p.macs.join(', ') || '—'}</TableCell>
                  <TableCell>{p.department.join(' › ') || '—'}</TableCell>
                  <TableCell>{p.mainUser ?? '—'}</TableCell>
                  <TableCell>{p.os ?? '—'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      <Card variant="outlined">
        <CardContent>
          {job.errorLines === 0 ? (
            <Alert severity="success">{translate(k('no_errors'))}</Alert>
          ) : (
            <>
              <Alert severity="warning" sx={{ mb: 1 }} data-testid="import-error-count">
                {translate(k('errors'), { count: format.number(job.errorLines, 0) })}
              </Alert>
              <Table size="small" data-testid="import-errors">
                <TableHead>
                  <TableRow>
                    <TableCell>{translate(k('line'))}</TableCell>
                    <TableCell>{translate(k('field'))}</TableCell>
                    <TableCell>{translate(k('reason'))}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {errors.map((e) => (
                    <TableRow key={`${e.line}-${e.code}-${e.field}`}>
                      <TableCell>{e.line}</TableCell>
                      <TableCell>{fieldName(e.field)}</TableCell>
                      <TableCell>{translate(k(`line_errors.${e.code}`), { _: e.message })}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              {errors.length >= 500 ? (
                <Typography variant="body2" color="text.secondary">
                  {translate(k('more_errors'))}
                </Typography>
              ) : null}
              <FormControlLabel
                control={<Checkbox checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} />}
                label={translate(k('skip_invalid'))}
              />
            </>
          )}
          <Box sx={{ mt: 2 }}>
            <Button variant="contained" disabled={!canConfirm} onClick={onConfirm}>
              {translate(k('confirm'))}
            </Button>
          </Box>
        </CardContent>
      </Card>
    </Box>
  );
}

function ResultStep({ job, onAnother }: { job: ImportJob; onAnother: () => void }) {
  const translate = useTranslate();
  const format = useFormat();
  if (job.state === 'importing') {
    const p = job.progress;
    const text = !p
      ? translate(k('importing'))
      : p.phase === 'committing'
        ? translate(k('progress_committing'))
        : translate(k(`progress_${p.phase}`), { done: format.number(p.done, 0), total: format.number(p.total, 0) });
    return (
      <Card variant="outlined" data-testid="import-progress">
        <CardContent>
          <Typography variant="body2" sx={{ mb: 1 }}>
            {text}
          </Typography>
          <LinearProgress variant="determinate" value={importProgressPct(p)} />
        </CardContent>
      </Card>
    );
  }
  return (
    <Card variant="outlined">
      <CardContent>
        {job.state === 'done' ? (
          <Alert severity="success" data-testid="import-done">
            {translate(k('done'), {
              imported: format.number(job.imported ?? 0, 0),
              skipped: format.number(job.skipped ?? 0, 0),
            })}
          </Alert>
        ) : (
          <Alert severity="error" data-testid="import-failed">
            {translate(k('failed'), { error: job.error ?? '' })}
          </Alert>
        )}
        <Box sx={{ mt: 2, display: 'flex', gap: 2 }}>
          <Button component={Link} to="/registry-machines" variant="contained">
            {translate(k('see_machines'))}
          </Button>
          <Button onClick={onAnother}>{translate(k('another'))}</Button>
        </Box>
      </CardContent>
    </Card>
  );
}
