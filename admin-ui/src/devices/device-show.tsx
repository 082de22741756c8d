import { lazy, Suspense } from 'react';
import { Loading, Show, TabbedShowLayout, usePermissions, useRecordContext } from 'react-admin';
import type { Device } from './device.js';
import { DeviceOverview } from './device-overview.js';
import { HardwareTab } from './inventory/hardware-tab.js';
import { NetworkTab } from './inventory/network-tab.js';
import { SoftwareTab } from './inventory/software-tab.js';
import { SystemTab } from './inventory/system-tab.js';

// xterm.js loads only when a terminal is opened: most visits to a device page never need it.
const DeviceTerminalTab = lazy(() =>
  import('./terminal/device-terminal-tab.js').then((m) => ({ default: m.DeviceTerminalTab })),
);

function DeviceTitle() {
  const record = useRecordContext<Device>();
  return <span>{record?.hostname ?? ''}</span>;
}

/**
 * One device: its identity and heartbeat, then one tab per inventory section.
 * Tab contents sit in a plain <div> so react-admin's Labeled wrapper adds no empty label.
 * The terminal tab is for the roles that may open one (the hub refuses the others anyway).
 */
export function DeviceShow() {
  const { permissions } = usePermissions();
  const canOpenTerminal = permissions === 'admin' || permissions === 'helpdesk';
  return (
    <Show title={<DeviceTitle />} queryOptions={{ refetchInterval: 60_000 }}>
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="bascule.device.tabs.overview">
          <div>
            <DeviceOverview />
          </div>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="bascule.device.tabs.hardware" path="hardware">
          <div>
            <HardwareTab />
          </div>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="bascule.device.tabs.system" path="system">
          <div>
            <SystemTab />
          </div>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="bascule.device.tabs.network" path="network">
          <div>
            <NetworkTab />
          </div>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="bascule.device.tabs.software" path="software">
          <div>
            <SoftwareTab />
          </div>
        </TabbedShowLayout.Tab>
        {canOpenTerminal ? (
          <TabbedShowLayout.Tab label="bascule.terminal.tab" path="terminal">
            <div>
              <Suspense fallback={<Loading />}>
                <DeviceTerminalTab />
              </Suspense>
            </div>
          </TabbedShowLayout.Tab>
        ) : null}
      </TabbedShowLayout>
    </Show>
  );
}
