/**
 * The one record of this till's link with HQ: `host.hq` in the ledger's settings. It holds no secret; the
 * signing key it goes with is in the key store (`SECRET_NAMES.hqSigningKey`). Sync starts from this link
 * and nothing else.
 */
import type { SettingsStore } from '../../../db';

export const HQ_SETTING = 'host.hq';

export interface HqLink {
  /** HQ's origin, e.g. https://hq.example.com. */
  url: string;
  /** The terminal id HQ assigned: every row of the outbox goes up under it. */
  terminalId: string;
  terminalName: string;
  /** HQ's id for this store. */
  storeId: string;
  /** The store id in this book (differs from `storeId` when a standalone store joined later). */
  localStoreId: string;
  /** The Ed25519 public key HQ verifies this till with (base64url), for the technician to compare. */
  publicKey: string;
  cardKeyFingerprint: string;
  enrolledAt: number;
  /** Set when HQ refused the till's key (TERMINAL_REVOKED): sync stops until the till is enrolled again. */
  revokedAt?: number;
}

export function isHqLink(value: unknown): value is HqLink {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    ['url', 'terminalId', 'storeId', 'localStoreId', 'publicKey'].every(
      (field) => typeof record[field] === 'string',
    ) && typeof record.enrolledAt === 'number'
  );
}

/** The link, or undefined for a till that belongs to no chain. */
export function readHqLink(settings: SettingsStore): HqLink | undefined {
  const value = settings.get<unknown>(HQ_SETTING);
  return isHqLink(value) ? value : undefined;
}
