import { FieldReader } from '../validation/field-reader.js';

/**
 * The operator a person chose through `wwan.operators.register`, kept in the state directory
 * (`wwan/operator-override.json`) so that the next apply does not put the policy's operator back. It
 * holds only while the policy still names the operator it replaced: a policy that pins another one wins.
 */
export const OPERATOR_OVERRIDE_FILE = 'wwan/operator-override.json';

export interface OperatorOverride {
  operator: string;
  /** The policy's operator when the person chose. */
  policyOperator: string;
  by: string;
  at: string;
}

export function parseOperatorOverride(text: string): OperatorOverride {
  const r = new FieldReader(JSON.parse(text));
  const o: OperatorOverride = {
    operator: r.string('operator', { pattern: /^\d{5,6}$/ }),
    policyOperator: r.string('policyOperator', { default: '' }),
    by: r.string('by', { minLength: 1 }),
    at: r.string('at', { minLength: 1 }),
  };
  r.done();
  return o;
}
