/**
 * Constants of the message format, free of zod so that `runtime.ts` (what the agent daemon loads) can
 * share them with the schemas.
 */

/** Version of the message format; bumped only for incompatible changes (see docs/protocol.md). */
export const PROTOCOL_VERSION = 1;

/** The inventory sections, in the order they are collected and shown. */
export const INVENTORY_SECTIONS = [
  'hardware',
  'os',
  'network',
  'software',
  'users',
  'printers',
  'domain',
  'antivirus',
  'modem',
] as const;
export type InventorySectionName = (typeof INVENTORY_SECTIONS)[number];
