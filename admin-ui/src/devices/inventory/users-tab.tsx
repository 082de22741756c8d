import type { UsersSection } from '@bascule/protocol';
import { Box, Chip, Grid } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useFormat } from '../../format/use-format.js';
import { Section } from '../property-list.js';
import { InventorySection } from './inventory-section.js';
import { SimpleTable } from './simple-table.js';

const k = (key: string) => `bascule.inventory.users.${key}`;

/** Local accounts, who is signed in now, the last logins (wtmp) and the directory users seen. */
export function UsersTab() {
  const translate = useTranslate();
  const format = useFormat();
  const when = (iso: string | undefined) => (iso ? `${format.dateTime(iso)} (${format.relative(iso)})` : undefined);
  return (
    <InventorySection<UsersSection> name="users">
      {(users) => (
        <>
          <Section title={k('logged_in')}>
            <SimpleTable
              rows={users.loggedIn}
              rowKey={(u, i) => `${u.name}-${i}`}
              empty={k('nobody')}
              columns={[
                { label: k('name'), render: (u) => <strong>{u.name}</strong> },
                { label: k('session'), render: (u) => u.type },
                {
                  label: k('remote'),
                  render: (u) =>
                    u.remote === undefined
                      ? undefined
                      : translate(u.remote ? 'bascule.inventory.yes' : 'bascule.inventory.no'),
                },
                { label: k('since'), render: (u) => when(u.since) },
              ]}
            />
          </Section>
          <Grid container spacing={4}>
            <Grid size={{ xs: 12, md: 6 }}>
              <Section title={k('accounts')}>
                <SimpleTable
                  rows={users.accounts}
                  rowKey={(a) => `${a.name}-${a.uid}`}
                  empty={k('none')}
                  columns={[
                    { label: k('name'), render: (a) => a.name },
                    { label: k('full_name'), render: (a) => a.fullName },
                    { label: k('uid'), render: (a) => a.uid, align: 'right' },
                    { label: k('home'), render: (a) => a.home },
                  ]}
                />
              </Section>
            </Grid>
            <Grid size={{ xs: 12, md: 6 }}>
              <Section title={k('domain_users')}>
                {users.domainUsers.length === 0 ? (
                  <SimpleTable rows={[]} rowKey={() => ''} columns={[]} empty={k('none')} />
                ) : (
                  <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }}>
                    {users.domainUsers.map((u) => (
                      <Chip key={u} size="small" variant="outlined" label={u} />
                    ))}
                  </Box>
                )}
              </Section>
            </Grid>
          </Grid>
          <Section title={k('last_logins')}>
            <SimpleTable
              rows={users.lastLogins}
              rowKey={(l, i) => `${l.name}-${l.at}-${i}`}
              empty={k('none')}
              columns={[
                { label: k('name'), render: (l) => l.name },
                { label: k('terminal'), render: (l) => l.terminal },
                { label: k('host'), render: (l) => l.host },
                { label: k('at'), render: (l) => when(l.at) },
              ]}
            />
          </Section>
        </>
      )}
    </InventorySection>
  );
}
