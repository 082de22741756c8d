import { createHash, X509Certificate } from 'node:crypto';
import { EnrollError } from './enroll-error.js';

/** What `--ca-hash` is about a certificate: sha256 of its DER encoding. */
export function certificateHash(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/** Accepts `sha256:HEX`, with or without colons between bytes, any case; throws on anything else. */
export function parseCaHash(value: string): string {
  const match = /^sha256:([0-9a-f:]+)$/i.exec(value.trim());
  const hex = match?.[1]?.replaceAll(':', '').toLowerCase();
  if (!hex || !/^[0-9a-f]{64}$/.test(hex)) {
    throw new EnrollError(
      `--ca-hash must be sha256: followed by 64 hexadecimal digits (as printed by bascule-hub token create), got "${value}"`,
    );
  }
  return hex;
}

/** One certificate of the chain a server presented, leaf first. */
export interface PresentedCertificate {
  der: Buffer;
  subject: string;
}

/**
 * The certificate of the presented chain whose hash is the pinned one, as PEM, or null. There is no
 * trust on first use: the caller refuses the hub when this is null.
 */
export function findPinnedCertificate(chain: readonly PresentedCertificate[], pinnedHex: string): string | null {
  const found = chain.find((cert) => certificateHash(cert.der) === pinnedHex);
  return found ? new X509Certificate(found.der).toString() : null;
}
