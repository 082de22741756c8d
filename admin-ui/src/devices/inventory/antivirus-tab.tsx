import type { AntivirusSection } from '@bascule/protocol';
import { Box, Chip, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useFormat } from '../../format/use-format.js';
import { PropertyList } from '../property-list.js';
import { InventorySection } from './inventory-section.js';

const k = (key: string) => `bascule.inventory.antivirus.${key}`;

/** Same threshold as the hub's `antivirus-outdated` alert (docs/rest-api.md). */
const OUTDATED_AFTER_DAYS = 3;

/** ClamAV (or another known product): version, signatures and their date, daemon or on demand. */
export function AntivirusTab() {
  const translate = useTranslate();
  const format = useFormat();
  return (
    <InventorySection<AntivirusSection> name="antivirus">
      {(av) =>
        av.products.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            {translate(k('none'))}
          </Typography>
        ) : (
          av.products.map((p) => {
            const age = p.signatureDate ? (Date.now() - new Date(p.signatureDate).getTime()) / 86_400_000 : undefined;
            return (
              <Box component="section" key={p.name} sx={{ mb: 3 }}>
                <Typography variant="h6" component="h2" sx={{ mb: 1, fontSize: '1rem', fontWeight: 600 }}>
                  {p.name}
                </Typography>
                <PropertyList
                  items={[
                    { label: k('version'), value: p.version },
                    { label: k('signature_version'), value: p.signatureVersion },
                    {
                      label: k('signature_date'),
                      value: p.signatureDate ? (
                        <Box component="span" sx={{ display: 'inline-flex', gap: 1, alignItems: 'center' }}>
                          {`${format.dateTime(p.signatureDate)} (${format.relative(p.signatureDate)})`}
                          {age !== undefined && age > OUTDATED_AFTER_DAYS && (
                            <Chip size="small" color="error" label={translate(k('outdated'))} />
                          )}
                        </Box>
                      ) : undefined,
                    },
                    {
                      label: k('daemon'),
                      value:
                        p.daemon === undefined ? undefined : translate(p.daemon ? k('daemon_running') : k('on_demand')),
                    },
                  ]}
                />
              </Box>
            );
          })
        )
      }
    </InventorySection>
  );
}
