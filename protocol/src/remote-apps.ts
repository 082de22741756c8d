import { z } from 'zod';

/**
 * The `remote-apps` module: Remmina connection profiles (RDP) for the Windows applications a
 * department or a user still needs, with a launcher in the applications menu, so that a machine kept
 * under `exception` for one business application can still move to Linux. No password is ever part
 * of the settings or of a profile (docs/decisions.md): Remmina asks for it at each connection.
 * See docs/modules.md.
 */

/** A host name or address, with an optional port: `rds.mairie.local`, `10.0.0.5:3390`. */
const hostPort = z
  .string()
  .max(261)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:\d{1,5})?$/, 'expected a host name, optionally with :port');

/** A Windows account template: `%u` is replaced by the desktop user's name, e.g. `%u` or `ext-%u`. */
const accountTemplate = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^\s\r\n:]+$/, 'an account name without spaces (%u stands for the desktop user)');

/** One character set for what goes on a line of a key file (no line break: it would add a key). */
const line = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\r\n]*$/, 'must hold on one line');

export const remoteAppSchema = z
  .object({
    /** Names the files (`bascule-{id}.remmina`, `bascule-remote-app-{id}.desktop`). */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'id: lower-case letters, digits and - (it names the files)'),
    /** The menu entry and the Remmina profile's name, French first: « Ciril Finances (Windows) ». */
    name: line(100).min(1),
    /** The Remote Desktop server (RDS session host or broker). */
    server: hostPort,
    /**
     * The Windows program to start instead of a whole desktop (Remmina's `exec`, FreeRDP's alternate
     * shell), e.g. `C:\Program Files\Ciril\finances.exe`; empty: the full Windows desktop.
     */
    program: line(1024).default(''),
    /** Its working directory (`execpath`). */
    workingDir: line(1024).default(''),
    /** The Windows domain, e.g. `MAIRIE`. */
    domain: line(256).default(''),
    username: accountTemplate.default('%u'),
    /** A Remote Desktop Gateway, when the server is not reached directly. */
    gateway: z
      .object({
        server: hostPort,
        domain: line(256).default(''),
        username: accountTemplate.default('%u'),
      })
      .strict()
      .optional(),
  })
  // Strict: a `password` (or any key we do not know) is refused rather than silently dropped.
  .strict();
export type RemoteApp = z.infer<typeof remoteAppSchema>;

/** Local or domain account names, as `getent passwd` knows them. */
const accountName = z.string().regex(/^[a-z_][a-z0-9._@$-]{0,255}$/i, 'expected an account name such as jdupont');

export const remoteAppsSettingsSchema = z
  .object({
    /** The desktop accounts that get the profiles (an account without a home yet gets them once it has one). */
    users: z.array(accountName).min(1).max(1000),
    apps: z.array(remoteAppSchema).max(50),
  })
  .strict()
  .refine((s) => new Set(s.apps.map((a) => a.id)).size === s.apps.length, {
    message: 'two applications have the same id',
    path: ['apps'],
  });
export type RemoteAppsSettings = z.infer<typeof remoteAppsSettingsSchema>;
