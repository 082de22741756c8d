/** Enrolment failed for a reason the person running the command can act on; printed without a stack. */
export class EnrollError extends Error {
  override name = 'EnrollError';
}
