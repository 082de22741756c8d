import type { NetworkSection } from '@bascule/protocol';
import { Box, Chip } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useFormat } from '../../format/use-format.js';
import { PropertyList, Section } from '../property-list.js';
import { InventorySection } from './inventory-section.js';
import { SimpleTable } from './simple-table.js';

const k = (key: string) => `bascule.inventory.network.${key}`;

function Addresses({ list }: { list: string[] }) {
  if (list.length === 0) return <>—</>;
  return (
    <Box
      component="span"
      sx={{ display: 'flex', flexDirection: 'column', fontFamily: 'monospace', fontSize: '0.8rem' }}
    >
      {list.map((a) => (
        <span key={a}>{a}</span>
      ))}
    </Box>
  );
}

export function NetworkTab() {
  const translate = useTranslate();
  const format = useFormat();
  return (
    <InventorySection<NetworkSection> name="network">
      {(net) => (
        <>
          <Box sx={{ mb: 3 }}>
            <PropertyList
              items={[
                {
                  label: k('gateway'),
                  value: net.defaultGateway
                    ? [net.defaultGateway, net.defaultInterface && `(${net.defaultInterface})`]
                        .filter(Boolean)
                        .join(' ')
                    : undefined,
                },
                { label: k('dns'), value: net.dnsServers && <Addresses list={net.dnsServers} /> },
                {
                  label: k('wifi'),
                  value: net.wifi
                    ? [
                        net.wifi.ssid,
                        net.wifi.signalPercent === undefined
                          ? undefined
                          : translate(k('signal'), { signal: format.percent(net.wifi.signalPercent / 100) }),
                        net.wifi.frequencyMHz === undefined
                          ? undefined
                          : translate(k('frequency'), { ghz: format.number(net.wifi.frequencyMHz / 1000, 1) }),
                        net.wifi.interface,
                      ]
                        .filter(Boolean)
                        .join(' · ')
                    : translate(k('no_wifi')),
                },
              ]}
            />
          </Box>
          <Section title={k('interfaces')}>
            <SimpleTable
              rows={net.interfaces}
              empty={k('none')}
              rowKey={(i) => i.name}
              columns={[
                {
                  label: k('name'),
                  render: (i) => (
                    <>
                      <strong>{i.name}</strong>
                      {i.virtual && (
                        <Box component="span" sx={{ color: 'text.secondary' }}>
                          {` (${translate(k('virtual'))})`}
                        </Box>
                      )}
                    </>
                  ),
                },
                {
                  label: k('state'),
                  render: (i) => (
                    <Chip
                      size="small"
                      variant={i.up ? 'filled' : 'outlined'}
                      color={i.up ? 'success' : 'default'}
                      label={translate(i.up ? k('up') : k('down'))}
                    />
                  ),
                },
                { label: k('type'), render: (i) => i.type },
                {
                  label: k('mac'),
                  render: (i) =>
                    i.mac ? (
                      <Box component="span" sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>
                        {i.mac}
                      </Box>
                    ) : undefined,
                },
                { label: k('ipv4'), render: (i) => <Addresses list={i.ipv4} /> },
                { label: k('ipv6'), render: (i) => <Addresses list={i.ipv6} /> },
                {
                  label: k('speed'),
                  render: (i) =>
                    i.speedMbps === null || i.speedMbps === undefined
                      ? undefined
                      : translate(k('speed_mbps'), { speed: format.number(i.speedMbps, 0) }),
                  align: 'right',
                },
              ]}
            />
          </Section>
        </>
      )}
    </InventorySection>
  );
}
