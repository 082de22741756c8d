import { Create } from 'react-admin';
import { DEFAULT_DOCUMENTS } from './policy.js';
import { PolicyForm, toPolicyPayload } from './policy-form.js';

/** Starts as a printers policy; every module's defaults are in the form, the payload keeps the chosen one's. */
const defaults = {
  module: 'printers',
  priority: 0,
  deploy: true,
  document: {
    ...DEFAULT_DOCUMENTS['ad-join'],
    ...DEFAULT_DOCUMENTS['remote-shell'],
    ...DEFAULT_DOCUMENTS.antivirus,
    ...DEFAULT_DOCUMENTS['agent-update'],
    ...DEFAULT_DOCUMENTS['remote-apps'],
    ...DEFAULT_DOCUMENTS.printers,
  },
};

export function PolicyCreate() {
  return (
    <Create transform={toPolicyPayload} redirect="show" record={defaults}>
      <PolicyForm creating />
    </Create>
  );
}
