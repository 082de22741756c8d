import type { OsSection } from '@bascule/protocol';
import { PropertyList } from '../property-list.js';
import { InventorySection } from './inventory-section.js';

const k = (key: string) => `bascule.inventory.os.${key}`;

export function SystemTab() {
  return (
    <InventorySection<OsSection> name="os">
      {(os) => (
        <PropertyList
          items={[
            { label: k('distro'), value: os.distro },
            { label: k('release'), value: os.release },
            { label: k('codename'), value: os.codename },
            { label: k('kernel'), value: os.kernel },
            { label: k('arch'), value: os.arch },
            { label: k('platform'), value: os.platform },
            { label: k('hostname'), value: os.hostname },
            { label: k('fqdn'), value: os.fqdn },
          ]}
        />
      )}
    </InventorySection>
  );
}
