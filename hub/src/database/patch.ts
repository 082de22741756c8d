/**
 * True when an update would set nothing: Kysely ignores `undefined` values, and `update … set where`
 * with no column is an SQL error. Repositories return early instead (a PUT without a change is not a 500).
 */
export function setsNothing(patch: object): boolean {
  return Object.values(patch).every((v) => v === undefined);
}
