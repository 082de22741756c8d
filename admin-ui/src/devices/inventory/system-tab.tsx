import type { OsSection } from '@bascule/protocol';
import { useFormat } from '../../format/use-format.js';
import { PropertyList } from '../property-list.js';
import { InventorySection } from './inventory-section.js';

const k = (key: string) => `bascule.inventory.os.${key}`;

const SESSION_TYPES: Record<string, string> = { x11: 'X11', wayland: 'Wayland', tty: 'TTY' };

export function SystemTab() {
  const format = useFormat();
  return (
    <InventorySection<OsSection> name="os">
      {(os) => (
        <PropertyList
          items={[
            { label: k('distro'), value: os.distro },
            { label: k('edition'), value: os.edition },
            { label: k('release'), value: os.release },
            { label: k('codename'), value: os.codename },
            { label: k('kernel'), value: os.kernel },
            { label: k('arch'), value: os.arch },
            { label: k('platform'), value: os.platform },
            { label: k('session_type'), value: os.sessionType && (SESSION_TYPES[os.sessionType] ?? os.sessionType) },
            {
              label: k('last_boot'),
              value: os.lastBoot ? `${format.dateTime(os.lastBoot)} (${format.relative(os.lastBoot)})` : undefined,
            },
            { label: k('timezone'), value: os.timezone },
            { label: k('locale'), value: os.locale },
            { label: k('hostname'), value: os.hostname },
            { label: k('fqdn'), value: os.fqdn },
          ]}
        />
      )}
    </InventorySection>
  );
}
