import { z } from 'zod';
import { envelopeSchema } from './envelope.js';
import { antivirusEventSchemas } from './events/antivirus-events.js';
import { wwanEventSchemas } from './events/wwan-events.js';

/**
 * `event` (agent → hub, QoS 1, through the outbox, never dropped): things that happened on the device,
 * one or more to a message. Each event is `{type, ts, data}`; `type` is `module.what` and chooses the
 * schema of `data`. Each module keeps its event schemas in its own file of `events/`, spread into the
 * list below (one line per module).
 */
export const deviceEventSchemas = [...antivirusEventSchemas, ...wwanEventSchemas] as const;

export const deviceEventSchema = z.discriminatedUnion('type', deviceEventSchemas);
export type DeviceEvent = z.infer<typeof deviceEventSchema>;
export type DeviceEventType = DeviceEvent['type'];

export const DEVICE_EVENT_TYPES = deviceEventSchemas.map((s) => s.shape.type.value) as DeviceEventType[];

/** The shape every event shares; what the hub reads first, so that one bad event costs only itself. */
export const eventShellSchema = z.object({
  type: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'expected module.what, e.g. antivirus.scan.finished'),
  ts: z.iso.datetime({ offset: true }),
  data: z.unknown(),
});

export const MAX_EVENTS_PER_MESSAGE = 1000;

export const eventMessageSchema = envelopeSchema.extend({
  events: z.array(eventShellSchema).min(1).max(MAX_EVENTS_PER_MESSAGE),
});
export type EventMessage = z.infer<typeof envelopeSchema> & { events: DeviceEvent[] };
