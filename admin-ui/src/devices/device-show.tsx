import { lazy, type ReactNode, Suspense } from 'react';
import {
  Loading,
  Show,
  TabbedShowLayout,
  TabbedShowLayoutTabs,
  TopToolbar,
  usePermissions,
  useRecordContext,
} from 'react-admin';
import { DeviceAntivirusTab } from '../antivirus/device-antivirus-tab.js';
import type { Device } from './device.js';
import { DeviceConfigTab } from './device-config-tab.js';
import { DeviceEventsTab } from './device-events-tab.js';
import { DeviceOverview } from './device-overview.js';
import { GlpiDownloadButton } from './glpi-download-button.js';
import { DomainTab } from './inventory/domain-tab.js';
import { HardwareTab } from './inventory/hardware-tab.js';
import { ModemTab } from './inventory/modem-tab.js';
import { NetworkTab } from './inventory/network-tab.js';
import { PrintersTab } from './inventory/printers-tab.js';
import { SoftwareTab } from './inventory/software-tab.js';
import { SystemTab } from './inventory/system-tab.js';
import { UsersTab } from './inventory/users-tab.js';

// xterm.js loads only when a terminal is opened: most visits to a device page never need it.
const DeviceTerminalTab = lazy(() =>
  import('./terminal/device-terminal-tab.js').then((m) => ({ default: m.DeviceTerminalTab })),
);
// Likewise the chart library, for the health tab only (docs/decisions.md, Admin UI).
const DeviceHealthTab = lazy(() =>
  import('./health/device-health-tab.js').then((m) => ({ default: m.DeviceHealthTab })),
);

function DeviceTitle() {
  const record = useRecordContext<Device>();
  return <span>{record?.hostname ?? ''}</span>;
}

function DeviceActions() {
  return (
    <TopToolbar>
      <GlpiDownloadButton />
    </TopToolbar>
  );
}

/** The inventory tabs, in the order of issue 3's sections: [i18n key, route path, content]. */
const INVENTORY_TABS: ReadonlyArray<[string, string, ReactNode]> = [
  ['hardware', 'hardware', <HardwareTab key="hardware" />],
  ['system', 'system', <SystemTab key="system" />],
  ['network', 'network', <NetworkTab key="network" />],
  ['software', 'software', <SoftwareTab key="software" />],
  ['users', 'users', <UsersTab key="users" />],
  ['printers', 'printers', <PrintersTab key="printers" />],
  ['domain', 'domain', <DomainTab key="domain" />],
  // The antivirus module's status and actions, then the inventory's antivirus section.
  ['antivirus', 'antivirus', <DeviceAntivirusTab key="antivirus" />],
  ['modem', 'modem', <ModemTab key="modem" />],
];

/**
 * One device: its identity and heartbeat, one tab per inventory section, its health over time.
 * Tab contents sit in a plain <div> so react-admin's Labeled wrapper adds no empty label.
 * The terminal tab is for the roles that may open one (the hub refuses the others anyway).
 */
export function DeviceShow() {
  const { permissions } = usePermissions();
  const canOpenTerminal = permissions === 'admin' || permissions === 'helpdesk';
  return (
    <Show title={<DeviceTitle />} actions={<DeviceActions />} queryOptions={{ refetchInterval: 60_000 }}>
      <TabbedShowLayout tabs={<TabbedShowLayoutTabs variant="scrollable" scrollButtons="auto" />}>
        <TabbedShowLayout.Tab label="bascule.device.tabs.overview">
          <div>
            <DeviceOverview />
          </div>
        </TabbedShowLayout.Tab>
        {INVENTORY_TABS.map(([label, path, content]) => (
          <TabbedShowLayout.Tab key={path} label={`bascule.device.tabs.${label}`} path={path}>
            <div>{content}</div>
          </TabbedShowLayout.Tab>
        ))}
        <TabbedShowLayout.Tab label="bascule.device.tabs.health" path="health">
          <div>
            <Suspense fallback={<Loading />}>
              <DeviceHealthTab />
            </Suspense>
          </div>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="bascule.compliance.device_tab" path="configuration">
          <div>
            <DeviceConfigTab />
          </div>
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="bascule.events.tab" path="events">
          <div>
            <DeviceEventsTab />
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
