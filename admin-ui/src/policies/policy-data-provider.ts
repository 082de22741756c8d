import { type DataProvider, HttpError } from 'react-admin';

/** Resources whose hub list takes no `id` filter: getMany reads them one by one (a handful at most). */
const WITHOUT_ID_FILTER = new Set(['policies', 'rollouts']);

/**
 * The English messages of the module schemas (protocol/src/config.ts) and of the ring plan
 * (hub/src/rollouts/ring-plan.ts), which come without a code: said in the UI's language by key.
 */
const SCHEMA_MESSAGES: Record<string, string> = {
  'expected a DNS domain such as corp.example.fr': 'domain',
  'queue name: letters, digits, _ . - (no spaces)': 'queue_name',
  'expected an ipp://, ipps://, socket:// or lpd:// URI': 'uri',
  'the default printer must be one of the printers': 'default_printer',
  'two printers have the same queue name': 'duplicate_queue',
  'waves must grow: each above the last': 'waves_grow',
  'expected an absolute path such as /home': 'absolute_path',
  'a path must not contain ..': 'dot_dot',
  'expected a time such as 12:30 (24-hour clock)': 'clock_time',
  'expected an http:// or https:// URL': 'http_url',
  'the last ring must be { "kind": "percent", "percent": 100 } so that every device gets there': 'last_ring',
  // remote-apps (protocol/src/remote-apps.ts)
  'expected a host name, optionally with :port': 'ra_host',
  'an account name without spaces (%u stands for the desktop user)': 'ra_account_template',
  'must hold on one line': 'ra_one_line',
  'id: lower-case letters, digits and - (it names the files)': 'ra_id',
  'expected an account name such as jdupont': 'ra_account',
  'two applications have the same id': 'ra_duplicate_id',
};

function translatable(error: unknown): unknown {
  if (!(error instanceof HttpError) || !error.body?.errors) return error;
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(error.body.errors as Record<string, string>)) {
    const key = SCHEMA_MESSAGES[message];
    errors[field] = key ? `bascule.policies.schema_errors.${key}` : message;
  }
  return new HttpError(error.message, error.status, { ...error.body, errors });
}

/**
 * simple-rest's getMany asks `GET /policies?filter={"id":[…]}`, which the hub refuses (unknown
 * filter): references to a policy read it by id instead. Saving a policy or a rollout turns the
 * schema's known messages into translation keys.
 */
export function withPolicyResources(base: DataProvider): DataProvider {
  const catching =
    <A extends unknown[], R>(fn: (resource: string, ...args: A) => Promise<R>) =>
    async (resource: string, ...args: A): Promise<R> => {
      try {
        return await fn(resource, ...args);
      } catch (error) {
        throw resource === 'policies' || resource === 'rollouts' ? translatable(error) : error;
      }
    };
  return {
    ...base,
    create: catching(base.create),
    update: catching(base.update),
    async getMany(resource, params) {
      if (!WITHOUT_ID_FILTER.has(resource)) return base.getMany(resource, params);
      const results = await Promise.all(params.ids.map((id) => base.getOne(resource, { id, meta: params.meta })));
      return { data: results.map((r) => r.data) };
    },
  } as DataProvider;
}
