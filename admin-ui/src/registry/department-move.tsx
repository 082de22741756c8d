import { Box, Button, TextField } from '@mui/material';
import { useState } from 'react';
import { useNotify, usePermissions, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { errorText } from './error-text.js';
import type { RegistryMachine } from './registry.js';
import { setMachineDepartment } from './registry-api.js';
import { useRegistryDepartments } from './use-departments.js';

/** An admin moves a machine to another department (or none); audited by the hub. */
export function DepartmentMove() {
  const machine = useRecordContext<RegistryMachine>();
  const { permissions } = usePermissions();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { choices } = useRegistryDepartments();
  const [target, setTarget] = useState<string | null>(null);
  if (!machine || permissions !== 'admin') return null;
  const value = target ?? machine.departmentId ?? '';
  const save = async () => {
    try {
      await setMachineDepartment(machine.id, value || null);
      notify('bascule.registry.departments.saved', { type: 'success' });
      setTarget(null);
      refresh();
    } catch (e) {
      notify(errorText(translate, e), { type: 'error' });
    }
  };
  return (
    <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
      <TextField
        select
        size="small"
        label={translate('bascule.registry.machine.move')}
        value={value}
        onChange={(e) => setTarget(e.target.value)}
        slotProps={{
          select: { native: true },
          inputLabel: { shrink: true },
          htmlInput: { 'data-testid': 'registry-move' },
        }}
      >
        <option value="">{translate('bascule.registry.none')}</option>
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </TextField>
      <Button size="small" disabled={value === (machine.departmentId ?? '')} onClick={save}>
        {translate('bascule.registry.departments.save')}
      </Button>
    </Box>
  );
}
