import type { HealthSample } from '@bascule/protocol';
import { Box, Chip, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useFormat } from '../../format/use-format.js';
import { PropertyList, Section } from '../property-list.js';
import { UsageBar } from '../usage-bar.js';

const k = (key: string) => `bascule.health.${key}`;

/** The last heartbeat: uptime, failed systemd units, each mount's use, sensors and battery now. */
export function HealthNow({ sample }: { sample: HealthSample | null | undefined }) {
  const translate = useTranslate();
  const format = useFormat();
  if (!sample) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('bascule.device.heartbeat.none')}
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 2 }}>
        {translate('bascule.device.heartbeat.taken', {
          date: format.dateTime(sample.ts),
          relative: format.relative(sample.ts),
        })}
      </Typography>
      <Box sx={{ mb: 2 }}>
        <PropertyList
          items={[
            { label: 'bascule.device.heartbeat.uptime', value: format.duration(sample.uptimeSeconds) },
            {
              label: k('battery_now'),
              value: sample.battery
                ? [
                    format.percent(sample.battery.percent / 100),
                    translate(sample.battery.charging ? k('charging') : k('discharging')),
                    sample.battery.healthPercent === undefined
                      ? undefined
                      : translate(k('battery_health'), { health: format.percent(sample.battery.healthPercent / 100) }),
                  ]
                    .filter(Boolean)
                    .join(' · ')
                : undefined,
            },
            {
              label: k('temperatures'),
              value: sample.temperatures?.length
                ? sample.temperatures.map((t) => `${t.sensor} ${format.number(t.celsius, 0)} °C`).join(', ')
                : undefined,
            },
          ]}
        />
      </Box>
      <Section title={k('failed_units')}>
        {sample.failedUnits === undefined ? (
          <Typography variant="body2" color="text.secondary">
            {translate(k('no_systemd'))}
          </Typography>
        ) : sample.failedUnits.length === 0 ? (
          <Chip size="small" color="success" label={translate(k('no_failed_units'))} data-testid="failed-units" />
        ) : (
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }} data-testid="failed-units">
            {sample.failedUnits.map((u) => (
              <Chip key={u} size="small" color="error" label={u} sx={{ fontFamily: 'monospace' }} />
            ))}
          </Box>
        )}
      </Section>
      <Section title={k('disks_now')}>
        {sample.disks.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            {translate('bascule.device.heartbeat.no_disks')}
          </Typography>
        ) : (
          sample.disks.map((disk) => (
            <UsageBar
              key={disk.mount}
              label={disk.fs ? `${disk.mount} (${disk.fs})` : disk.mount}
              used={disk.usedBytes}
              total={disk.sizeBytes}
            />
          ))
        )}
      </Section>
    </>
  );
}
