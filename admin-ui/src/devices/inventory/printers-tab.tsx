import type { PrintersSection } from '@bascule/protocol';
import StarIcon from '@mui/icons-material/Star';
import { Alert, Box, Chip } from '@mui/material';
import { useTranslate } from 'react-admin';
import { InventorySection } from './inventory-section.js';
import { SimpleTable } from './simple-table.js';

const k = (key: string) => `bascule.inventory.printers.${key}`;

/** CUPS queues, the default one first. */
export function PrintersTab() {
  const translate = useTranslate();
  return (
    <InventorySection<PrintersSection> name="printers">
      {(printers) => (
        <>
          {printers.schedulerRunning === false && (
            <Alert severity="warning" sx={{ mb: 2 }}>
              {translate(k('scheduler_down'))}
            </Alert>
          )}
          <SimpleTable
            rows={[...printers.queues].sort((a, b) => Number(b.isDefault) - Number(a.isDefault))}
            rowKey={(q) => q.name}
            empty={k('none')}
            columns={[
              {
                label: k('name'),
                render: (q) => (
                  <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1 }}>
                    <strong>{q.name}</strong>
                    {q.isDefault && (
                      <Chip size="small" color="primary" icon={<StarIcon />} label={translate(k('default'))} />
                    )}
                  </Box>
                ),
              },
              {
                label: k('state'),
                render: (q) => (q.state ? translate(k(`states.${q.state}`), { _: q.state }) : undefined),
              },
              {
                label: k('enabled'),
                render: (q) =>
                  q.enabled === undefined
                    ? undefined
                    : translate(q.enabled ? 'bascule.inventory.yes' : 'bascule.inventory.no'),
              },
              {
                label: k('uri'),
                render: (q) =>
                  q.uri ? (
                    <Box component="span" sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>
                      {q.uri}
                    </Box>
                  ) : undefined,
              },
            ]}
          />
        </>
      )}
    </InventorySection>
  );
}
