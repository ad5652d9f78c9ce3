/**
 * The HQ link panel on the Devices screen: whether this till belongs to a chain, under which terminal id and
 * store, the card-key fingerprint every till of the chain shares, and whether HQ revoked the till. An admin
 * joins a chain from here (a standalone store joining later, or a revoked or replaced till enrolled again)
 * with HQ's address and a one-time code. Never a key: only the fingerprint and the public key.
 */
import { z } from 'zod';
import type { CommandDefinition } from './definition';
import { epochMs } from './schemas';

export const hqLinkView = z.object({
  /** False for a standalone store (or a demo or training book). */
  linked: z.boolean(),
  /** Demo and training books never join a chain; the panel says so instead of offering the form. */
  canJoin: z.boolean(),
  hqUrl: z.string().nullable(),
  terminalId: z.string().nullable(),
  terminalName: z.string().nullable(),
  storeId: z.string().nullable(),
  publicKey: z.string().nullable(),
  enrolledAt: epochMs.nullable(),
  revokedAt: epochMs.nullable(),
  /** The card keys in use now (the chain's once enrolled). */
  cardKeyFingerprint: z.string(),
});
export type HqLinkView = z.infer<typeof hqLinkView>;

export const hqCommands = {
  'hq.status': {
    summary: 'This till’s link with HQ and the card-key fingerprint',
    access: 'devices.read',
    input: z.object({}).strict(),
    output: hqLinkView,
  },
  'hq.syncNow': {
    summary: 'Pull HQ’s changes and send what waits now, instead of at the next round (the Devices screen)',
    access: 'devices.read',
    input: z.object({}).strict(),
    output: z.object({
      /** HQ answered this round; false while it cannot be reached (the till keeps selling within its caps). */
      reached: z.boolean(),
      /** Operations still waiting in this till's outbox. */
      pending: z.number().int().nonnegative(),
      lastContactAt: epochMs.nullable(),
    }),
  },
  'hq.join': {
    summary: 'Join a chain (or enrol again) with HQ’s address and a one-time code (admins)',
    access: 'hq.enrol',
    input: z
      .object({
        hqUrl: z.string().trim().min(1).max(300),
        code: z.string().trim().min(8).max(64),
      })
      .strict(),
    output: hqLinkView,
  },
  'cardKeys.export': {
    summary:
      'A standalone store’s card keys sealed under a passphrase, as a file for its second till (admins)',
    access: 'cards.chain',
    input: z.object({ passphrase: z.string().min(10).max(200) }).strict(),
    output: z.object({ fileName: z.string(), content: z.string(), fingerprint: z.string() }),
  },
  'cardKeys.import': {
    summary: 'Take a standalone store’s card keys from a sealed file and its passphrase (admins)',
    access: 'cards.chain',
    input: z
      .object({ content: z.string().min(1).max(8_192), passphrase: z.string().min(1).max(200) })
      .strict(),
    output: hqLinkView,
  },
} satisfies Record<string, CommandDefinition>;
