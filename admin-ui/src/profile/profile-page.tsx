import { Card, CardContent, Stack, Typography } from '@mui/material';
import { Title, useGetIdentity, usePermissions, useTranslate } from 'react-admin';
import { SshKeysCard } from './ssh-keys-card.js';
import { TotpCard } from './totp-card.js';

export const PROFILE_PATH = '/profile';

/** The signed-in user's own page: who they are, their second factor and their SSH keys. */
export function ProfilePage() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const { permissions } = usePermissions();
  const username = identity?.fullName ?? '';
  return (
    <Stack spacing={2} sx={{ mt: 2, maxWidth: 1000 }}>
      <Title title="bascule.profile.title" />
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>
            {translate('bascule.profile.account')}
          </Typography>
          <Typography variant="body1">{username}</Typography>
          {typeof permissions === 'string' ? (
            <Typography variant="body2" color="text.secondary">
              {translate(`bascule.roles.${permissions}`)}
            </Typography>
          ) : null}
        </CardContent>
      </Card>
      {username ? <TotpCard required={identity?.totpEnrolmentRequired === true} /> : null}
      {username ? <SshKeysCard username={username} /> : null}
    </Stack>
  );
}
