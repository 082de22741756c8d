import type { ModemSection } from '@bascule/protocol';
import { Box, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useFormat } from '../../format/use-format.js';
import { PropertyList } from '../property-list.js';
import { InventorySection } from './inventory-section.js';

const k = (key: string) => `bascule.inventory.modem.${key}`;

/** ModemManager's view of the mobile modems (`mmcli -J`): operator, signal, registration. */
export function ModemTab() {
  const translate = useTranslate();
  const format = useFormat();
  return (
    <InventorySection<ModemSection> name="modem">
      {(section) =>
        section.modems.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            {translate(k('none'))}
          </Typography>
        ) : (
          section.modems.map((m) => (
            <Box component="section" key={m.id} sx={{ mb: 3 }}>
              <Typography variant="h6" component="h2" sx={{ mb: 1, fontSize: '1rem', fontWeight: 600 }}>
                {[m.manufacturer, m.model].filter(Boolean).join(' ') || m.id}
              </Typography>
              <PropertyList
                items={[
                  {
                    label: k('operator'),
                    value: m.operator
                      ? [m.operator, m.operatorCode && `(${m.operatorCode})`].filter(Boolean).join(' ')
                      : undefined,
                  },
                  {
                    label: k('registration'),
                    value: m.registration
                      ? translate(k(`registrations.${m.registration}`), { _: m.registration })
                      : undefined,
                  },
                  {
                    label: k('signal'),
                    value: m.signalPercent === undefined ? undefined : format.percent(m.signalPercent / 100),
                  },
                  { label: k('access_tech'), value: m.accessTech.join(', ') },
                  { label: k('state'), value: m.state },
                  { label: k('imei'), value: m.imei },
                  { label: k('iccid'), value: m.iccid },
                ]}
              />
            </Box>
          ))
        )
      }
    </InventorySection>
  );
}
