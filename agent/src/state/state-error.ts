/** A problem with the agent's state a person must act on (re-enrol, fix permissions). Printed without a stack. */
export class StateError extends Error {
  override name = 'StateError';
}
