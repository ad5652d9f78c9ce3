/**
 * The chain's amount limits at the counter, after the single-purpose prepaid card rules (单用途商业预付卡):
 * the most one top-up or one charge may be, the most principal a card may hold (a named card, whose member
 * gave a phone or ID number, more than an anonymous one), and the top-up above which the member's real-name
 * details are asked for. The host refuses past any of them, naming the limit; admins change them on the
 * Rules screen. The store's single-operation limit still applies beneath these.
 */
import { z } from 'zod';
import type { CommandDefinition } from './commands';
import { positiveFen } from './schemas';

export const amountLimits = z
  .object({
    /** The most one top-up may be. */
    topUpMaxFen: positiveFen,
    /** The most one charge may be (what the card pays and any other tender together). */
    chargeMaxFen: positiveFen,
    /** The most principal a named card (member with a phone or ID number) may hold. */
    namedCardMaxFen: positiveFen,
    /** The most principal an anonymous card may hold. */
    anonymousCardMaxFen: positiveFen,
    /** A top-up above this needs the member's phone or ID number on file. */
    realNameAboveFen: positiveFen,
  })
  .strict();
export type AmountLimits = z.infer<typeof amountLimits>;

/** ¥5,000 on a named card, ¥1,000 on an anonymous one; real-name details above a ¥1,000 top-up. */
export const DEFAULT_AMOUNT_LIMITS: AmountLimits = {
  topUpMaxFen: 500_000,
  chargeMaxFen: 500_000,
  namedCardMaxFen: 500_000,
  anonymousCardMaxFen: 100_000,
  realNameAboveFen: 100_000,
};

export const limitCommands = {
  'limits.get': {
    summary:
      'The amount limits the counter applies: per top-up, per charge, per card, and for real-name details',
    access: 'card.read',
    input: z.object({}).strict(),
    output: amountLimits,
  },
  'limits.set': {
    summary: 'Change the amount limits (admins); they apply to the next operation',
    access: 'cards.chain',
    input: amountLimits
      .partial()
      .strict()
      .refine((input) => Object.keys(input).length > 0, { message: 'give at least one limit' }),
    output: amountLimits,
  },
} satisfies Record<string, CommandDefinition>;
