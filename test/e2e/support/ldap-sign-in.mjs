// Runs inside the AD rig's client namespaces (the only network that reaches the DC): opens the hub's
// services on DATA with the LDAP settings read from stdin and signs in each attempt through the real
// AuthService, printing one JSON line of outcomes. Used by test/e2e/ldap-sign-in.test.ts.

import { systemClock } from '../../../hub/dist/core/clock.js';
import { Logger } from '../../../hub/dist/core/logger.js';
import { openHubServices } from '../../../hub/dist/services.js';

const input = JSON.parse(await new Response(process.stdin).text());
const services = await openHubServices(
  input.dataDir,
  systemClock,
  new Logger(() => {}, 'error'),
  undefined,
  undefined,
  undefined,
  input.ldap,
);
const outcomes = [];
for (const a of input.attempts) {
  try {
    const r = await services.auth.passwordStep(a.username, a.password, a.ip);
    outcomes.push({ ok: true, kind: r.kind, role: r.user?.role, authSource: r.user?.authSource });
  } catch (err) {
    outcomes.push({ ok: false, status: err.getStatus?.() ?? 500, message: err.message });
  }
}
const users = await services.database.db
  .selectFrom('users')
  .select(['username', 'role', 'password_hash', 'auth_source'])
  .execute();
const audit = await services.database.db.selectFrom('audit_log').select(['actor', 'action', 'target']).execute();
await services.close();
process.stdout.write(`${JSON.stringify({ outcomes, users, audit })}\n`);
