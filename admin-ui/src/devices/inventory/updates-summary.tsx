import type { SoftwareSection } from '@bascule/protocol';
import { Alert, Box, Chip, Collapse, Link, Typography } from '@mui/material';
import { useState } from 'react';
import { useTranslate } from 'react-admin';
import { useFormat } from '../../format/use-format.js';
import { SimpleTable } from './simple-table.js';

const k = (key: string) => `bascule.inventory.software.${key}`;

/** Pending updates (security counted apart) and the reboot-required flag, above the package list. */
export function UpdatesSummary({ software }: { software: SoftwareSection }) {
  const translate = useTranslate();
  const format = useFormat();
  const [showPending, setShowPending] = useState(false);
  const { updates, rebootRequired } = software;
  return (
    <Box sx={{ mb: 3 }}>
      {rebootRequired?.required && (
        <Alert severity="warning" sx={{ mb: 2 }} data-testid="reboot-required">
          {rebootRequired.since
            ? translate(k('reboot_since'), {
                date: format.dateTime(rebootRequired.since),
                relative: format.relative(rebootRequired.since),
              })
            : translate(k('reboot'))}
          {rebootRequired.packages.length > 0 && (
            <Typography variant="body2" sx={{ mt: 0.5 }}>
              {translate(k('reboot_packages'), { packages: rebootRequired.packages.join(', ') })}
            </Typography>
          )}
        </Alert>
      )}
      {!updates ? (
        <Typography variant="body2" color="text.secondary">
          {translate(k('updates_unknown'))}
        </Typography>
      ) : (
        <>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }} data-testid="updates">
            <Chip
              size="small"
              color={updates.count > 0 ? 'info' : 'success'}
              label={translate(k('updates'), { smart_count: updates.count, count: format.number(updates.count, 0) })}
            />
            {updates.security > 0 && (
              <Chip
                size="small"
                color="error"
                label={translate(k('security'), {
                  smart_count: updates.security,
                  count: format.number(updates.security, 0),
                })}
              />
            )}
            {updates.pending.length > 0 && (
              <Link component="button" variant="body2" onClick={() => setShowPending((v) => !v)}>
                {translate(showPending ? k('hide_pending') : k('show_pending'))}
              </Link>
            )}
          </Box>
          <Collapse in={showPending} unmountOnExit>
            <Box sx={{ mt: 1 }}>
              <SimpleTable
                rows={[...updates.pending].sort((a, b) => Number(b.security) - Number(a.security))}
                rowKey={(u) => u.name}
                columns={[
                  { label: k('name'), render: (u) => u.name },
                  { label: k('new_version'), render: (u) => u.version },
                  {
                    label: k('kind'),
                    render: (u) =>
                      u.security ? <Chip size="small" color="error" label={translate(k('security_one'))} /> : '',
                  },
                ]}
              />
            </Box>
          </Collapse>
        </>
      )}
    </Box>
  );
}
