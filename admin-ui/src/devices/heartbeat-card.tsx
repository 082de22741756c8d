import type { HealthSample } from '@bascule/protocol';
import { Box, Card, CardContent, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useFormat } from '../format/use-format.js';
import { PropertyList, Section } from './property-list.js';
import { UsageBar } from './usage-bar.js';

/** The device's last heartbeat: load, memory, disks, uptime. */
export function HeartbeatCard({ sample }: { sample: HealthSample | null | undefined }) {
  const translate = useTranslate();
  const format = useFormat();
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', fontWeight: 600 }}>
          {translate('bascule.device.heartbeat.title')}
        </Typography>
        {!sample ? (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
            {translate('bascule.device.heartbeat.none')}
          </Typography>
        ) : (
          <>
            <Typography
              variant="caption"
              color="text.secondary"
              component="p"
              sx={{ mb: 2 }}
              title={format.dateTime(sample.ts)}
            >
              {translate('bascule.device.heartbeat.taken', {
                date: format.dateTime(sample.ts),
                relative: format.relative(sample.ts),
              })}
            </Typography>
            <PropertyList
              items={[
                { label: 'bascule.device.heartbeat.uptime', value: format.duration(sample.uptimeSeconds) },
                {
                  label: 'bascule.device.heartbeat.load',
                  value: `${[sample.load1, sample.load5, sample.load15].map((l) => format.number(l)).join(' · ')} (${translate(
                    'bascule.device.heartbeat.cpus',
                    { smart_count: sample.cpuCount },
                  )})`,
                },
              ]}
            />
            <Box sx={{ mt: 2, mb: 2 }}>
              <UsageBar
                label={translate('bascule.device.heartbeat.memory')}
                used={sample.memUsedBytes}
                total={sample.memTotalBytes}
              />
              {sample.swapTotalBytes > 0 && (
                <UsageBar
                  label={translate('bascule.device.heartbeat.swap')}
                  used={sample.swapUsedBytes}
                  total={sample.swapTotalBytes}
                />
              )}
            </Box>
            <Section title="bascule.device.heartbeat.disks">
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
        )}
      </CardContent>
    </Card>
  );
}
