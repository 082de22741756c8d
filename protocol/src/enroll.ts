import { z } from 'zod';

/** What the agent tells about the machine at enrolment; used to recognise a machine and to flag clones. */
export const machineIdentitySchema = z.object({
  hostname: z.string().min(1).max(253),
  machineId: z.string().max(128).default(''),
  dmiUuid: z.string().max(128).default(''),
  serial: z.string().max(128).default(''),
  macs: z
    .array(z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i, 'expected a MAC address'))
    .max(64)
    .default([]),
});

/** `POST /api/v1/enroll` body. */
export const enrollRequestSchema = z.object({
  token: z.string().min(16).max(256),
  identity: machineIdentitySchema,
});

/** `POST /api/v1/enroll` answer. The secret is shown once; the hub keeps only its hash. */
export const enrollResponseSchema = z.object({
  deviceId: z.string(),
  secret: z.string(),
  caCertPem: z.string(),
  /** The first of `mqttUrls`, for agents that know only one. */
  mqttUrl: z.string(),
  /** Every hub of the cluster, in the order the agent tries them; absent from hubs before clustering. */
  mqttUrls: z.array(z.string()).min(1).optional(),
});

export type MachineIdentity = z.infer<typeof machineIdentitySchema>;
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;
