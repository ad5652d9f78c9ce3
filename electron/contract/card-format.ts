/**
 * The member-card format panel: how this terminal reads and writes the chain's secured MIFARE cards (chain
 * id, the sector holding the member data, the on-card purse) and a fingerprint of the chain keys, never the
 * keys. Technicians set the sector and the purse; only an admin changes the chain id, and only after
 * confirming that cards already issued will then read as another chain's. A change is saved in the ledger's
 * settings and used from the next start, when the readers are set up with it.
 */

import { z } from 'zod';
import { keyedEntryPolicy } from '../../common/keyed-entry';
import type { CommandDefinition } from './definition';

/**
 * The sectors the panel offers: the 4-block sectors every MIFARE Classic 1K card has, less sector 0 (the
 * manufacturer block and the card directory). A 4K chain's higher sector is provisioned in the setting itself.
 */
export const CARD_FORMAT_SECTOR_MIN = 1;
export const CARD_FORMAT_SECTOR_MAX = 15;
/** The chain id is an unsigned 32-bit number on the card; 0 is what an unformatted block reads as. */
export const CHAIN_ID_MAX = 0xffff_ffff;

export const cardFormatSettings = z.object({
  chainId: z.number().int().min(0).max(CHAIN_ID_MAX),
  sector: z.number().int(),
  purse: z.boolean(),
});
export type CardFormatSettings = z.infer<typeof cardFormatSettings>;

export const cardFormatView = z.object({
  /** What the readers use now: the settings as they were at this start. */
  inUse: cardFormatSettings,
  /** What the next start will use. */
  saved: cardFormatSettings,
  /** True while the saved settings differ from those in use. */
  restartRequired: z.boolean(),
  /** A short digest of the chain keys, to compare terminals by; the keys cannot be read back from it. */
  keyFingerprint: z.string(),
});
export type CardFormatView = z.infer<typeof cardFormatView>;

const sector = z.number().int().min(CARD_FORMAT_SECTOR_MIN).max(CARD_FORMAT_SECTOR_MAX);

export {
  DEFAULT_KEYED_ENTRY_POLICY,
  type KeyedEntryPolicy,
  type KeyedEntryRule,
  keyedEntryPolicy,
  keyedEntryRule,
} from '../../common/keyed-entry';

/**
 * The rule this till follows and who set it: `hq` on a till of a chain (a chain admin sets it at HQ; the till
 * refuses a local change with KEYED_ENTRY_SET_BY_HQ), `store` on a standalone store (its admin sets it here).
 */
export const keyedEntryView = keyedEntryPolicy.extend({ setBy: z.enum(['hq', 'store']) });
export type KeyedEntryView = z.infer<typeof keyedEntryView>;

export const cardFormatCommands = {
  'cardFormat.get': {
    summary: 'The member-card format in use and saved, with the chain key fingerprint',
    access: 'cards.format',
    input: z.object({}).strict(),
    output: cardFormatView,
  },
  'cardFormat.set': {
    summary: 'Set the secured sector and the on-card purse; used from the next start',
    access: 'cards.format',
    input: z
      .object({ sector: sector.optional(), purse: z.boolean().optional() })
      .strict()
      .refine((input) => input.sector !== undefined || input.purse !== undefined, {
        message: 'give a sector, a purse setting or both',
      }),
    output: cardFormatView,
  },
  'cardFormat.setChain': {
    summary: "Change the chain id (admins); cards issued under the old id then read as another chain's",
    access: 'cards.chain',
    input: z
      .object({
        chainId: z.number().int().min(1).max(CHAIN_ID_MAX),
        /** The admin saw that existing cards will read as "not issued by this chain" unless re-issued. */
        confirmForeignCards: z.boolean(),
      })
      .strict(),
    output: cardFormatView,
  },
  'cardFormat.keyedEntry': {
    summary: "The chain's rule for charging a card by its typed number, per kind of card, and who set it",
    access: 'cards.format',
    input: z.object({}).strict(),
    output: keyedEntryView,
  },
  'cardFormat.setKeyedEntry': {
    summary:
      "Change a standalone store's rule for charging a card by its typed number (admins); a chain's is set at HQ",
    access: 'cards.chain',
    input: keyedEntryPolicy
      .partial()
      .refine((input) => Object.keys(input).length > 0, { message: 'give at least one kind of card' }),
    output: keyedEntryView,
  },
} satisfies Record<string, CommandDefinition>;
