import { Chip } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { Role } from '../providers/auth-provider.js';

const colors: Record<Role, 'primary' | 'secondary' | 'default'> = {
  admin: 'primary',
  helpdesk: 'secondary',
  viewer: 'default',
};

export function RoleField(_props: { source?: string; label?: string }) {
  const record = useRecordContext<{ role: Role }>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Chip
      size="small"
      variant="outlined"
      color={colors[record.role] ?? 'default'}
      label={translate(`bascule.roles.${record.role}`, { _: record.role })}
    />
  );
}
