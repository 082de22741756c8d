import { z } from 'zod';

/**
 * The `agent-update` module: which version of the bascule-agent package the desktops a policy targets
 * run. The hub serves the packages it holds (`bascule-hub agent-package add`); the policy names one of
 * them, and the hub adds that package's file name, size and sha256 to what each device receives. The
 * rings of a rollout move the desktops to it group by group. See docs/modules.md.
 */

/** A Debian version as our package file names carry it (no epoch): `0.2.0`, `0.2.0~rc1`, `0.2.0+b1`. */
export const agentPackageVersionSchema = z
  .string()
  .max(64)
  .regex(/^[0-9][A-Za-z0-9.+~-]*$/, 'expected a package version such as 0.2.0');

/** What IT writes in an `agent-update` policy. */
export const agentUpdatePolicySchema = z.object({
  /** The bascule-agent version the desktops must run; one the hub holds (GET /api/v1/agent-packages). */
  version: agentPackageVersionSchema,
  /** Install an older version than the desktop has (going back after a bad release); refused otherwise. */
  allowDowngrade: z.boolean().default(false),
});
export type AgentUpdatePolicy = z.infer<typeof agentUpdatePolicySchema>;

/** The package as the hub holds it; the device downloads it, authenticated as itself, and checks the hash. */
export const agentUpdatePackageSchema = z.object({
  fileName: z.string().regex(/^bascule-agent_[0-9][A-Za-z0-9.+~-]*_amd64\.deb$/, 'expected a bascule-agent .deb'),
  bytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 in hex'),
  /** Path on the hub's HTTPS address: `/api/v1/agent-packages/{fileName}/content`. */
  path: z.string().regex(/^\/api\/v1\/agent-packages\/[A-Za-z0-9.+~_-]+\/content$/),
});
export type AgentUpdatePackage = z.infer<typeof agentUpdatePackageSchema>;

/**
 * What a device receives. `package` is absent when the hub holds no package of that version (it was
 * removed, or the policy was written for one not added yet): the agent reports the settings invalid.
 */
export const agentUpdateSettingsSchema = agentUpdatePolicySchema
  .extend({ package: agentUpdatePackageSchema.optional() })
  .superRefine((s, ctx) => {
    if (s.package === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['version'],
        message: `the hub has no bascule-agent package of version ${s.version} (add it with bascule-hub agent-package add FILE)`,
      });
    } else if (s.package.fileName !== `bascule-agent_${s.version}_amd64.deb`) {
      ctx.addIssue({ code: 'custom', path: ['package'], message: `the package is not version ${s.version}` });
    }
  });
export type AgentUpdateSettings = z.infer<typeof agentUpdateSettingsSchema>;

/** What the module observed on the desktop, as put in its report. */
export interface AgentUpdateObserved {
  /** The version of the agent that applied this (the daemon restarts on a new one). */
  running: string;
  /** `dpkg-query`'s version of bascule-agent; null when the package is not installed (a checkout). */
  installed: string | null;
}
