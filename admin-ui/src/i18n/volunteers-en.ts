import type { volunteersFr, volunteersResourcesFr } from './volunteers-fr.js';

/** English messages of volunteer sign-up (spread into en.ts). */
export const volunteersResourcesEn: typeof volunteersResourcesFr = {
  'registry/volunteers': {
    name: 'Volunteer |||| Volunteers',
    fields: {
      createdAt: 'Received',
      name: 'Name',
      departmentId: 'Department',
      machine: 'Machine',
      constraints: 'Business software',
      email: 'E-mail',
      state: 'State',
      decidedBy: 'Handled by',
      machineId: 'Registry machine',
      refusalReason: 'Reason for refusal',
    },
  },
};

export const volunteersEn: typeof volunteersFr = {
  states: { waiting: 'Waiting', accepted: 'Accepted', refused: 'Refused' },
  accept: 'Accept',
  refuse: 'Refuse',
  accept_title: 'Accept the request of %{name}?',
  accept_content: 'The registry machine becomes "candidate" with %{name} as its main user.',
  accept_choose: 'No registry machine fits "%{machine}" (or several do): give the machine’s id.',
  machine_id: 'Registry machine id',
  refuse_title: 'Refuse the request of %{name}?',
  refuse_reason: 'Reason (optional, seen by IT only)',
  accepted: 'Request accepted: the machine is a candidate.',
  refused: 'Request refused.',
  matches: '%{smart_count} matching machine |||| %{smart_count} matching machines',
  no_match: 'No matching machine',
  campaign: {
    create: 'Create a sign-up link',
    name: 'Name of the call (seen by the staff)',
    created: 'Link created. Copy it now: it will not be shown again.',
    copy: 'Copy the link',
    close: 'Close',
  },
  form: {
    title: 'Volunteer for Linux',
    intro:
      'Would you like to try Linux on your desktop? Leave your details: IT will get back to you. This commits you to nothing.',
    name: 'Full name',
    department: 'Department',
    no_department: 'I do not know',
    machine: 'Your machine (name or inventory number, on its label)',
    constraints: 'Business software you use (for example: Ciril, Word, a government website…)',
    email: 'E-mail (optional)',
    honeypot: 'Leave this field empty',
    send: 'Send my request',
    sending: 'Sending…',
    sent_title: 'Thank you!',
    sent: 'Your request is recorded. IT will get back to you.',
    invalid_link: 'This link is not valid (or no longer). Ask IT for the right link.',
    too_many: 'Too many requests from this machine: try again in an hour.',
    too_fast: 'Sent too fast: read the form again, then send it.',
    stale: 'The form has expired: reload the page.',
    error: 'The request could not be sent: %{message}',
  },
};
