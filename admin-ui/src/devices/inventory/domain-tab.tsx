import type { DomainSection } from '@bascule/protocol';
import { Box, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { PropertyList } from '../property-list.js';
import { InventorySection } from './inventory-section.js';

const k = (key: string) => `bascule.inventory.domain.${key}`;

/** `realm list`: the directories the machine joined. */
export function DomainTab() {
  const translate = useTranslate();
  return (
    <InventorySection<DomainSection> name="domain">
      {(domain) =>
        domain.realms.length === 0 ? (
          <Typography variant="body2" color="text.secondary">
            {translate(k('none'))}
          </Typography>
        ) : (
          domain.realms.map((realm) => (
            <Box component="section" key={realm.name} sx={{ mb: 3 }}>
              <Typography variant="h6" component="h2" sx={{ mb: 1, fontSize: '1rem', fontWeight: 600 }}>
                {realm.name}
              </Typography>
              <PropertyList
                items={[
                  { label: k('domain'), value: realm.domain },
                  { label: k('type'), value: realm.type },
                  { label: k('configured'), value: realm.configured },
                  { label: k('client_software'), value: realm.clientSoftware },
                  { label: k('server_software'), value: realm.serverSoftware },
                  { label: k('login_formats'), value: realm.loginFormats },
                  { label: k('login_policy'), value: realm.loginPolicy },
                  { label: k('permitted_logins'), value: realm.permittedLogins?.join(', ') },
                  { label: k('permitted_groups'), value: realm.permittedGroups?.join(', ') },
                ]}
              />
            </Box>
          ))
        )
      }
    </InventorySection>
  );
}
