import { Show, TabbedShowLayout, useRecordContext } from 'react-admin';
import type { Device } from './device.js';
import { DeviceOverview } from './device-overview.js';
import { HardwareTab } from './inventory/hardware-tab.js';
import { NetworkTab } from './inventory/network-tab.js';
import { SoftwareTab } from './inventory/software-tab.js';
import { SystemTab } from './inventory/system-tab.js';

function DeviceTitle() {
  const record = useRecordContext<Device>();
  return <span>{record?.hostname ?? ''}</span>;
}

/**
 * One device: its identity and heartbeat, then one tab per inventory section.
 * Tab contents sit in a plain <div> so react-admin's Labeled wrapper adds no empty label.
 */
export function DeviceShow() {
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
      </TabbedShowLayout>
    </Show>
  );
}
