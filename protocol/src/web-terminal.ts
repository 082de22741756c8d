import { z } from 'zod';
import { terminalSizeSchema } from './rpc.js';

/**
 * The browser terminal: `wss://HUB/api/v1/devices/{id}/terminal?as=root|user&cols=N&rows=N`.
 * Binary WebSocket messages carry terminal bytes both ways; text messages carry one JSON object each,
 * described here. The browser acknowledges output once xterm.js has written it (`ack`): that is what
 * releases the agent's flow-control window, so a tab that cannot keep up pauses the shell on the desktop.
 */
export const WEB_TERMINAL_PATH = /^\/api\/v1\/devices\/([^/]+)\/terminal$/;

/** Largest message either side sends: one terminal frame (64 KiB) with room to spare. */
export const WEB_TERMINAL_MAX_MESSAGE = 96 * 1024;
/** Largest text (control) message the hub accepts from the browser. */
export const WEB_TERMINAL_MAX_CONTROL = 1024;

/** browser → hub */
export const webTerminalClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('resize'), ...terminalSizeSchema.shape }).strict(),
  /** Bytes xterm.js has written since the previous ack. */
  z.object({ type: z.literal('ack'), bytes: z.number().int().min(1).max(0xffff_ffff) }).strict(),
]);
export type WebTerminalClientMessage = z.infer<typeof webTerminalClientMessageSchema>;

/** hub → browser */
export type WebTerminalServerMessage =
  /** The shell runs; binary output follows. */
  | { type: 'opened'; sid: string; hostname: string }
  /** The process on the device ended (`closed` follows). */
  | { type: 'exit'; code: number | null; signal: string | null }
  /** The session is over; the hub closes the socket after this. `code`: a TerminalCloseCode. */
  | { type: 'closed'; code: string; message: string }
  /**
   * The session could not be opened; the hub closes the socket after this. `code`: forbidden,
   * unknown-device, ambiguous-device, device-offline, no-answer, too-many-sessions, consent-refused,
   * no-desktop-user, disabled, refused, or internal; `details`: values for the translated message
   * (hostname, lastSeenAt…); `message`: the English sentence.
   */
  | { type: 'error'; code: string; message: string; details: Record<string, string> };
