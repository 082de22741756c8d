import { z } from 'zod';

/**
 * Events of the `wwan-failover` module (docs/modules.md): the IPv4 default route moved to the 4G link
 * (failover) or back to the primary (failback). Sent by the daemon's watcher in both modes, when it
 * sees the route change.
 */

const isoTime = z.iso.datetime({ offset: true });
const iface = z.string().min(1).max(64);

/** The default route went to the 4G link. `lostAt`: when the watcher first saw the primary without internet. */
export const wwanFailoverEventSchema = z.object({
  type: z.literal('wwan.failover'),
  ts: isoTime,
  data: z.object({
    mode: z.enum(['passive', 'on-demand']),
    /** The primary's interface, when there was one. */
    from: iface.optional(),
    to: iface,
    lostAt: isoTime.optional(),
    /** From `lostAt` to the route on the 4G link. */
    afterMs: z.number().int().nonnegative().optional(),
  }),
});

/** The default route is back on the primary. `downtimeMs`: how long traffic went over 4G. */
export const wwanFailbackEventSchema = z.object({
  type: z.literal('wwan.failback'),
  ts: isoTime,
  data: z.object({
    mode: z.enum(['passive', 'on-demand']),
    from: iface,
    to: iface,
    failoverAt: isoTime.optional(),
    onWwanMs: z.number().int().nonnegative().optional(),
  }),
});

export const wwanEventSchemas = [wwanFailoverEventSchema, wwanFailbackEventSchema] as const;

export type WwanFailoverEvent = z.infer<typeof wwanFailoverEventSchema>;
export type WwanFailbackEvent = z.infer<typeof wwanFailbackEventSchema>;
