import LinkIcon from '@mui/icons-material/Link';
import { Alert, Dialog, DialogActions, DialogContent, DialogTitle, TextField } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, useNotify, usePermissions, useTranslate } from 'react-admin';
import { createCampaign } from './volunteer-api.js';

/** Creates a sign-up link (admin): the hub gives its token once, so the full link is shown to copy now. */
export function CampaignButton() {
  const { permissions } = usePermissions();
  const translate = useTranslate();
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [link, setLink] = useState<string>();
  const mutation = useMutation({
    mutationFn: () => createCampaign(name.trim()),
    onSuccess: (c) => setLink(`${window.location.origin}${c.path}`),
    onError: (error: Error) => notify(error.message, { type: 'error' }),
  });
  if (permissions !== 'admin') return null;
  const close = () => {
    setOpen(false);
    setLink(undefined);
    setName('');
  };
  return (
    <>
      <Button label="bascule.volunteers.campaign.create" onClick={() => setOpen(true)}>
        <LinkIcon />
      </Button>
      <Dialog open={open} onClose={close} fullWidth>
        <DialogTitle>{translate('bascule.volunteers.campaign.create')}</DialogTitle>
        <DialogContent>
          {link ? (
            <>
              <Alert severity="info" sx={{ mb: 2 }}>
                {translate('bascule.volunteers.campaign.created')}
              </Alert>
              <TextField fullWidth name="link" value={link} slotProps={{ input: { readOnly: true } }} />
            </>
          ) : (
            <TextField
              fullWidth
              sx={{ mt: 1 }}
              name="campaignName"
              label={translate('bascule.volunteers.campaign.name')}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </DialogContent>
        <DialogActions>
          {link ? (
            <Button
              label="bascule.volunteers.campaign.copy"
              onClick={() => void navigator.clipboard?.writeText(link)}
            />
          ) : (
            <Button
              label="bascule.volunteers.campaign.create"
              disabled={!name.trim() || mutation.isPending}
              onClick={() => mutation.mutate()}
            />
          )}
          <Button label="bascule.volunteers.campaign.close" onClick={close} />
        </DialogActions>
      </Dialog>
    </>
  );
}
