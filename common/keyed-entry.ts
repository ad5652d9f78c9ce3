/**
 * The rule for charging a card by its typed number (no reader or swiper of the till read it), per kind of
 * card: secured MIFARE cards, UID-read cards, magstripe cards and numbers printed on keyed cards. One shape
 * for the till's contract and for the wire from HQ, which sets it for a chain.
 */
import { z } from 'zod';

/** What a typed card number may do when no device of this terminal read the card. */
export const keyedEntryRule = z.enum(['allowed', 'approval', 'refused']);
export type KeyedEntryRule = z.infer<typeof keyedEntryRule>;

export const keyedEntryPolicy = z
  .object({
    /** A secured card is never charged by its number alone: the card on a reader, or a manager's approval. */
    secured: z.enum(['approval', 'refused']),
    uid: keyedEntryRule,
    magstripe: keyedEntryRule,
    keyed: keyedEntryRule,
  })
  .strict();
export type KeyedEntryPolicy = z.infer<typeof keyedEntryPolicy>;

/** The rule until an admin (a chain's at HQ, a standalone store's at its till) sets one. */
export const DEFAULT_KEYED_ENTRY_POLICY: KeyedEntryPolicy = {
  secured: 'approval',
  uid: 'allowed',
  magstripe: 'approval',
  keyed: 'allowed',
};
