import type { HardwareSection } from '@bascule/protocol';
import { Grid } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useFormat } from '../../format/use-format.js';
import { PropertyList, Section } from '../property-list.js';
import { InventorySection } from './inventory-section.js';
import { SimpleTable } from './simple-table.js';

const k = (key: string) => `bascule.inventory.hardware.${key}`;

export function HardwareTab() {
  const translate = useTranslate();
  const format = useFormat();
  const yesNo = (b: boolean | undefined) =>
    b === undefined ? undefined : translate(b ? 'bascule.inventory.yes' : 'bascule.inventory.no');
  return (
    <InventorySection<HardwareSection> name="hardware">
      {(hw) => (
        <>
          <Grid container spacing={4}>
            <Grid size={{ xs: 12, md: 6 }}>
              <Section title={k('system')}>
                <PropertyList
                  items={[
                    { label: k('manufacturer'), value: hw.manufacturer },
                    { label: k('model'), value: hw.model },
                    { label: k('serial'), value: hw.serial },
                    { label: k('uuid'), value: hw.uuid },
                  ]}
                />
              </Section>
              <Section title={k('cpu')}>
                <PropertyList
                  items={[
                    { label: k('cpu_brand'), value: [hw.cpu.manufacturer, hw.cpu.brand].filter(Boolean).join(' ') },
                    { label: k('physical_cores'), value: hw.cpu.physicalCores },
                    { label: k('cores'), value: hw.cpu.cores },
                    {
                      label: k('speed'),
                      value:
                        hw.cpu.speedGHz === undefined
                          ? undefined
                          : translate(k('speed_ghz'), { speed: format.number(hw.cpu.speedGHz) }),
                    },
                  ]}
                />
              </Section>
            </Grid>
            <Grid size={{ xs: 12, md: 6 }}>
              <Section title={k('bios')}>
                <PropertyList
                  items={[
                    { label: k('bios_vendor'), value: hw.bios.vendor },
                    { label: k('bios_version'), value: hw.bios.version },
                    { label: k('bios_date'), value: hw.bios.releaseDate },
                    { label: k('uefi'), value: yesNo(hw.bios.uefi) },
                  ]}
                />
              </Section>
              {hw.baseboard && (
                <Section title={k('baseboard')}>
                  <PropertyList
                    items={[
                      { label: k('manufacturer'), value: hw.baseboard.manufacturer },
                      { label: k('model'), value: hw.baseboard.model },
                      { label: k('serial'), value: hw.baseboard.serial },
                    ]}
                  />
                </Section>
              )}
            </Grid>
          </Grid>
          <Section title={k('memory')}>
            <PropertyList items={[{ label: k('memory_total'), value: format.bytes(hw.memory.totalBytes) }]} />
            {hw.memory.modules.length > 0 && (
              <SimpleTable
                rows={hw.memory.modules}
                rowKey={(m, i) => `${m.slot ?? ''}-${i}`}
                columns={[
                  { label: k('slot'), render: (m) => m.slot },
                  { label: k('size'), render: (m) => format.bytes(m.sizeBytes), align: 'right' },
                  { label: k('type'), render: (m) => m.type },
                  {
                    label: k('module_speed'),
                    render: (m) =>
                      m.speedMHz === undefined
                        ? undefined
                        : translate(k('speed_mhz'), { speed: format.number(m.speedMHz) }),
                    align: 'right',
                  },
                ]}
              />
            )}
          </Section>
          <Section title={k('disks')}>
            <SimpleTable
              rows={hw.disks}
              rowKey={(d, i) => `${d.device ?? ''}-${i}`}
              columns={[
                { label: k('device'), render: (d) => d.device },
                { label: k('name'), render: (d) => d.name },
                { label: k('vendor'), render: (d) => d.vendor },
                { label: k('type'), render: (d) => d.type },
                { label: k('interface'), render: (d) => d.interface },
                { label: k('serial'), render: (d) => d.serial },
                { label: k('size'), render: (d) => format.bytes(d.sizeBytes), align: 'right' },
              ]}
            />
          </Section>
        </>
      )}
    </InventorySection>
  );
}
