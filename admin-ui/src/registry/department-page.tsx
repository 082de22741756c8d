import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { Title, useNotify, usePermissions, useTranslate } from 'react-admin';
import { useFormat } from '../format/use-format.js';
import { type DepartmentRow, departmentChoices, flattenTree, subtreeIds } from './department-tree.js';
import { errorText } from './error-text.js';
import { PHASES, type Phase, type RegistryDepartment } from './registry.js';
import { createDepartment, deleteDepartment, updateDepartment } from './registry-api.js';
import { useRegistryDepartments } from './use-departments.js';

const k = (key: string) => `bascule.registry.departments.${key}`;
const native = { select: { native: true }, inputLabel: { shrink: true } } as const;

function PhaseSelect({ value, onChange, testId }: { value: Phase; onChange: (p: Phase) => void; testId: string }) {
  const translate = useTranslate();
  return (
    <TextField
      select
      size="small"
      label={translate('resources.registry-departments.fields.phase')}
      value={value}
      onChange={(e) => onChange(e.target.value as Phase)}
      slotProps={{ ...native, htmlInput: { 'data-testid': testId } }}
    >
      {PHASES.map((p) => (
        <option key={p} value={p}>
          {translate(`bascule.registry.phases.${p}`)}
        </option>
      ))}
    </TextField>
  );
}

function ParentSelect({
  departments,
  value,
  exclude,
  onChange,
  testId,
}: {
  departments: RegistryDepartment[];
  value: string;
  exclude?: Set<string>;
  onChange: (id: string) => void;
  testId: string;
}) {
  const translate = useTranslate();
  return (
    <TextField
      select
      size="small"
      label={translate('resources.registry-departments.fields.parentId')}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      slotProps={{ ...native, htmlInput: { 'data-testid': testId } }}
    >
      <option value="">{translate(k('root'))}</option>
      {departmentChoices(departments, exclude).map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </TextField>
  );
}

/** The department tree: create, rename, move, phase (admins), figures elsewhere (the Migration page). */
export function DepartmentPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const { permissions } = usePermissions();
  const isAdmin = permissions === 'admin';
  const { departments, refetch, error } = useRegistryDepartments();
  const rows = flattenTree(departments);
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState('');
  const [phase, setPhase] = useState<Phase>('beta');

  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      notify(k(done), { type: 'success' });
      await refetch();
    } catch (e) {
      notify(errorText(translate, e), { type: 'error' });
    }
  };

  return (
    <Box sx={{ mt: 2, maxWidth: 1100 }}>
      <Title title={translate(k('title'))} />
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        {translate(k('title'))}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {translate(k('intro'))}
      </Typography>
      {error ? <Alert severity="error">{errorText(translate, error)}</Alert> : null}
      {isAdmin ? (
        <Card variant="outlined" sx={{ mb: 2 }}>
          <CardContent sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center' }}>
            <TextField
              size="small"
              label={translate('resources.registry-departments.fields.name')}
              value={name}
              onChange={(e) => setName(e.target.value)}
              slotProps={{ htmlInput: { 'data-testid': 'department-new-name', maxLength: 200 } }}
            />
            <ParentSelect
              departments={departments}
              value={parentId}
              onChange={setParentId}
              testId="department-new-parent"
            />
            <PhaseSelect value={phase} onChange={setPhase} testId="department-new-phase" />
            <Button
              variant="contained"
              disabled={!name.trim()}
              onClick={() =>
                act(async () => {
                  await createDepartment({ name: name.trim(), parentId: parentId || null, phase });
                  setName('');
                }, 'created')
              }
            >
              {translate(k('create'))}
            </Button>
          </CardContent>
        </Card>
      ) : null}
      {rows.length === 0 ? (
        <Typography color="text.secondary">{translate(k('empty'))}</Typography>
      ) : (
        <Table size="small" data-testid="department-tree">
          <TableHead>
            <TableRow>
              <TableCell>{translate('resources.registry-departments.fields.name')}</TableCell>
              <TableCell>{translate('resources.registry-departments.fields.phase')}</TableCell>
              <TableCell>{translate('resources.registry-departments.fields.phaseChangedAt')}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((row) => (
              <DepartmentLine key={row.department.id} row={row} departments={departments} isAdmin={isAdmin} act={act} />
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

function DepartmentLine({
  row,
  departments,
  isAdmin,
  act,
}: {
  row: DepartmentRow;
  departments: RegistryDepartment[];
  isAdmin: boolean;
  act: (fn: () => Promise<unknown>, done: string) => Promise<void>;
}) {
  const translate = useTranslate();
  const format = useFormat();
  const d = row.department;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(d.name);
  const [parentId, setParentId] = useState(d.parentId ?? '');
  const [phase, setPhase] = useState<Phase>(d.phase);
  if (editing) {
    const patch = {
      ...(name.trim() !== d.name ? { name: name.trim() } : {}),
      ...((parentId || null) !== d.parentId ? { parentId: parentId || null } : {}),
      ...(phase !== d.phase ? { phase } : {}),
    };
    return (
      <TableRow data-testid={`department-row-${d.name}`}>
        <TableCell colSpan={4}>
          <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center', pl: row.depth * 3 }}>
            <TextField
              size="small"
              label={translate('resources.registry-departments.fields.name')}
              value={name}
              onChange={(e) => setName(e.target.value)}
              slotProps={{ htmlInput: { 'data-testid': 'department-edit-name', maxLength: 200 } }}
            />
            <ParentSelect
              departments={departments}
              value={parentId}
              exclude={subtreeIds(departments, d.id)}
              onChange={setParentId}
              testId="department-edit-parent"
            />
            <PhaseSelect value={phase} onChange={setPhase} testId="department-edit-phase" />
            <Button
              variant="contained"
              size="small"
              disabled={!name.trim() || Object.keys(patch).length === 0}
              onClick={() => act(() => updateDepartment(d.id, patch), 'saved').then(() => setEditing(false))}
            >
              {translate(k('save'))}
            </Button>
            <Button size="small" onClick={() => setEditing(false)}>
              {translate(k('cancel'))}
            </Button>
          </Box>
        </TableCell>
      </TableRow>
    );
  }
  return (
    <TableRow data-testid={`department-row-${d.name}`}>
      <TableCell sx={{ pl: 2 + row.depth * 3, fontWeight: row.depth === 0 ? 600 : 400 }} title={row.path.join(' › ')}>
        {d.name}
      </TableCell>
      <TableCell>{translate(`bascule.registry.phases.${d.phase}`)}</TableCell>
      <TableCell>{format.dateTime(d.phaseChangedAt)}</TableCell>
      <TableCell align="right">
        {isAdmin ? (
          <>
            <Button size="small" onClick={() => setEditing(true)}>
              {translate(k('edit'))}
            </Button>
            <Button size="small" color="error" onClick={() => act(() => deleteDepartment(d.id), 'deleted')}>
              {translate(k('delete'))}
            </Button>
          </>
        ) : null}
      </TableCell>
    </TableRow>
  );
}
