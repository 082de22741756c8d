import type { HardwareSection, SmartStatus } from '@bascule/protocol';
import { Box, Chip, Grid, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useFormat } from '../../format/use-format.js';
import { PropertyList, Section } from '../property-list.js';
import { InventorySection } from './inventory-section.js';
import { SimpleTable } from './simple-table.js';

const k = (key: string) => `bascule.inventory.hardware.${key}`;

/** smartctl's verdict on a disk, with hours and wear when the drive reports them. */
function SmartChip({ smart }: { smart: SmartStatus | undefined }) {
  const translate = useTranslate();
  const format = useFormat();
  if (!smart) return <>{translate(k('smart_unknown'))}</>;
  const details = [
    smart.powerOnHours === undefined
      ? undefined
      : translate(k('power_on_hours'), { hours: format.number(smart.powerOnHours, 0) }),
    smart.wearPercent === undefined
      ? undefined
      : translate(k('wear'), { wear: format.percent(smart.wearPercent / 100) }),
    smart.temperatureC === undefined ? undefined : `${format.number(smart.temperatureC, 0)} °C`,
  ].filter(Boolean);
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
      <Chip
        size="small"
        color={smart.passed ? 'success' : 'error'}
        label={translate(smart.passed ? k('smart_passed') : k('smart_failed'))}
        data-testid="smart-status"
      />
      {details.length > 0 && (
        <Typography variant="caption" color="text.secondary">
          {details.join(' · ')}
        </Typography>
      )}
    </Box>
  );
}

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
                { label: k('smart'), render: (d) => <SmartChip smart={d.smart} /> },
              ]}
            />
          </Section>
          <Grid container spacing={4}>
            <Grid size={{ xs: 12, md: 6 }}>
              <Section title={k('gpus')}>
                <SimpleTable
                  rows={hw.gpus ?? []}
                  rowKey={(g, i) => `${g.busId ?? ''}-${i}`}
                  columns={[
                    { label: k('vendor'), render: (g) => g.vendor },
                    { label: k('model'), render: (g) => g.model },
                    { label: k('driver'), render: (g) => g.driver },
                  ]}
                />
              </Section>
            </Grid>
            <Grid size={{ xs: 12, md: 6 }}>
              <Section title={k('monitors')}>
                <SimpleTable
                  rows={hw.monitors ?? []}
                  rowKey={(m, i) => `${m.connector ?? ''}-${i}`}
                  columns={[
                    { label: k('connector'), render: (m) => m.connector },
                    { label: k('manufacturer'), render: (m) => m.manufacturer },
                    { label: k('model'), render: (m) => m.model },
                    { label: k('serial'), render: (m) => m.serial },
                    { label: k('year'), render: (m) => m.manufactureYear },
                  ]}
                />
              </Section>
            </Grid>
          </Grid>
          <Section title={k('batteries')}>
            <SimpleTable
              rows={hw.batteries ?? []}
              rowKey={(b) => b.name}
              empty={k('no_battery')}
              columns={[
                { label: k('name'), render: (b) => b.name },
                { label: k('manufacturer'), render: (b) => [b.manufacturer, b.model].filter(Boolean).join(' ') },
                { label: k('technology'), render: (b) => b.technology },
                {
                  label: k('battery_health'),
                  render: (b) =>
                    b.healthPercent === undefined ? undefined : (
                      <Chip
                        size="small"
                        color={b.healthPercent < 60 ? 'error' : 'default'}
                        variant="outlined"
                        label={format.percent(b.healthPercent / 100)}
                      />
                    ),
                },
                {
                  label: k('capacity'),
                  render: (b) =>
                    b.fullCapacityWh === undefined || b.designCapacityWh === undefined
                      ? undefined
                      : translate(k('capacity_wh'), {
                          full: format.number(b.fullCapacityWh, 1),
                          design: format.number(b.designCapacityWh, 1),
                        }),
                },
                { label: k('cycles'), render: (b) => format.number(b.cycleCount ?? null, 0), align: 'right' },
              ]}
            />
          </Section>
        </>
      )}
    </InventorySection>
  );
}
