/**
 * Every command the renderer may call, defined once: its input and output schemas and the permission it needs.
 * The host validates inputs against these whatever the transport; the renderer uses the inferred types.
 */
import { z } from 'zod';
import { backupCommands } from './backups';
import { cardFormatCommands } from './card-format';
import { closeCommands } from './close';
import type { CommandDefinition } from './definition';
import { deviceCommands } from './devices';
import { displayCommands } from './display';
import { hqCommands } from './hq';
import { limitCommands } from './limits';
import { memberListCommands } from './member-list';
import { memberCommands } from './members';
import type { CommandName } from './names';
import { ruleCommands } from './rules';
import {
  cardNumber,
  cardUid,
  cardView,
  digits,
  entityId,
  fen,
  keyedApproval,
  operationId,
  operationLine,
  operationResult,
  positiveFen,
  printedReceipt,
  receiptPrint,
  sessionView,
  simulatedCard,
  TENDERS,
  tender,
  terminalInfo,
  topUpQuote,
} from './schemas';
import { setupCommands } from './setup';
import { staffCommands } from './staff';

/** A manager's number and PIN typed at the counter to approve a void, a refund or a withdrawal. */
const managerPin = z.object({ staffNo: digits(3, 8), pin: digits(4, 8) }).strict();

export type { CommandDefinition } from './definition';

function command<I extends z.ZodType, O extends z.ZodType>(definition: CommandDefinition<I, O>) {
  return definition;
}

const none = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });

const topUpInput = z
  .object({
    operationId,
    cardId: entityId,
    amountFen: positiveFen,
    tender,
    /** The payment's own reference (WeChat/Alipay transaction number, slip number); required unless cash. */
    reference: z.string().trim().min(1).max(64).optional(),
    /** The quote the cashier confirmed; the top-up is refused (QUOTE_CHANGED) if the rules now give otherwise. */
    quote: topUpQuote.strict().optional(),
  })
  .strict()
  .refine((input) => input.tender === 'cash' || input.reference !== undefined, {
    message: `a reference is required for ${TENDERS.filter((t) => t !== 'cash').join(', ')}`,
    path: ['reference'],
  });

/** The other tender's part of a split charge; its reference is required unless it is cash. */
const splitRest = z
  .object({
    tender,
    amountFen: positiveFen,
    /** A payment code scanned from the customer's phone, or a bank card slip's number. */
    reference: z.string().trim().min(1).max(64).optional(),
  })
  .strict()
  .refine((rest) => rest.tender === 'cash' || rest.reference !== undefined, {
    message: 'a reference is required unless the rest is paid in cash',
    path: ['reference'],
  });

export const commands = {
  'session.login': command({
    summary: 'Log a staff member in with staff number and PIN',
    access: 'public',
    input: z.object({ staffNo: digits(3, 8), pin: digits(4, 8) }).strict(),
    output: sessionView,
  }),
  'session.logout': command({ summary: 'Log out', access: 'public', input: none, output: ok }),
  'session.current': command({
    summary: 'Who is logged in on this connection',
    access: 'public',
    input: none,
    output: sessionView.nullable(),
  }),
  'terminal.info': command({
    summary: 'Store, terminal and device facts for the status bar',
    access: 'public',
    input: none,
    output: terminalInfo,
  }),
  'card.lookup': command({
    summary: 'Find a card by contactless UID or printed/swiped card number and show its member and balance',
    access: 'card.read',
    input: z
      .union([z.object({ uid: cardUid }).strict(), z.object({ cardNumber }).strict()])
      .describe('exactly one of uid or cardNumber'),
    output: cardView,
  }),
  'card.swipeText': command({
    summary: 'Read the member number from the tracks a keyboard-wedge swiper typed',
    access: 'card.read',
    // Three full tracks with separators are under 250 characters.
    input: z.object({ tracks: z.string().min(1).max(512) }).strict(),
    output: z.object({ cardNumber: z.string() }),
  }),
  'card.recentOperations': command({
    summary: "A card's latest operations, newest first",
    access: 'card.read',
    input: z.object({ cardId: entityId, limit: z.number().int().min(1).max(50).default(10) }).strict(),
    output: z.array(operationLine),
  }),
  'wallet.previewTopUp': command({
    summary: 'The bonus a top-up would earn, shown before the cashier confirms',
    access: 'wallet.topUp',
    input: z.object({ cardId: entityId, amountFen: positiveFen }).strict(),
    output: topUpQuote.extend({ amountFen: positiveFen, rule: z.string() }),
  }),
  'wallet.topUp': command({
    summary: 'Top a card up, with the bonus of the current promotion',
    access: 'wallet.topUp',
    input: topUpInput,
    output: operationResult,
  }),
  'wallet.charge': command({
    summary: "Charge a purchase to a card's balance",
    access: 'wallet.charge',
    input: z
      .object({
        operationId,
        cardId: entityId,
        amountFen: positiveFen,
        /** Required when the member has a password; checked (and counted) before any money moves. */
        memberPassword: digits(6, 6).optional(),
        /** Points the cashier chose to take off the price (`points.quoteCharge` shows what they are worth). */
        pointsToRedeem: z.number().int().min(0).optional(),
        /** A manager's approval when the card's number was typed and the chain's rule asks for one. */
        keyedApproval: keyedApproval.optional(),
        /**
         * Split payment: the part of the charge (after discount and points) another tender pays because the
         * card does not hold it all. The card pays the rest; one operation carries both.
         */
        rest: splitRest.optional(),
        /** What the cashier confirmed; refused with QUOTE_CHANGED if the charge would now differ. */
        quote: z
          .object({
            chargedFen: fen,
            discountFen: fen,
            pointsRedeemed: z.number().int().min(0),
            pointsEarned: z.number().int().min(0),
          })
          .strict()
          .optional(),
      })
      .strict(),
    output: operationResult,
  }),
  'wallet.void': command({
    summary: "Void a card's last operation, approved by a manager's PIN",
    access: 'wallet.void',
    input: z
      .object({
        operationId,
        cardId: entityId,
        targetOperationId: z.string().min(1).max(64),
        approver: managerPin,
      })
      .strict(),
    output: operationResult,
  }),
  'wallet.refund': command({
    summary:
      'Refund a charge, or part of it, back to the card it came from (principal and bonus in the proportion the charge took them), approved by a manager',
    access: 'wallet.void',
    input: z
      .object({
        operationId,
        cardId: entityId,
        /** The charge being refunded. */
        originalOperationId: z.string().min(1).max(64),
        amountFen: positiveFen,
        approver: managerPin,
      })
      .strict(),
    output: operationResult,
  }),
  'wallet.withdraw': command({
    summary: 'Pay out principal the member asks for (提现; bonus is never paid out), approved by a manager',
    access: 'wallet.void',
    input: z
      .object({
        operationId,
        cardId: entityId,
        amountFen: positiveFen,
        tender,
        reference: z.string().trim().min(1).max(64).optional(),
        approver: managerPin,
      })
      .strict(),
    output: operationResult,
  }),
  'receipt.reprint': command({
    summary:
      "Print an operation's receipt again, marked as a reprint; a copy still waiting for the printer is withdrawn",
    access: 'card.read',
    input: z
      .object({
        /** The operation whose receipt is printed again. */
        operationId: z.string().min(1).max(64),
        /** Made by the screen per press, so a resend prints once. */
        requestId: operationId,
      })
      .strict(),
    output: z.object({ receipt: receiptPrint, receiptText: z.string() }),
  }),
  'simulator.cards': command({
    summary: 'Demo cards the simulator can present',
    access: 'simulator.use',
    input: none,
    output: z.array(simulatedCard),
  }),
  'simulator.presentCard': command({
    summary: 'Present a virtual contactless card to the simulated reader',
    access: 'simulator.use',
    input: z.object({ uid: cardUid }).strict(),
    output: ok,
  }),
  'simulator.removeCard': command({
    summary: 'Take the virtual card off the simulated reader',
    access: 'simulator.use',
    input: none,
    output: ok,
  }),
  'simulator.swipe': command({
    summary: 'Swipe a virtual magstripe member card',
    access: 'simulator.use',
    input: z.object({ cardNumber }).strict(),
    output: ok,
  }),
  'simulator.printedReceipts': command({
    summary: 'Receipts the simulated printer has printed, newest first',
    access: 'simulator.use',
    input: z.object({ limit: z.number().int().min(1).max(50).default(5) }).strict(),
    output: z.array(printedReceipt),
  }),
  ...deviceCommands,
  ...cardFormatCommands,
  ...hqCommands,
  ...memberCommands,
  ...memberListCommands,
  ...ruleCommands,
  ...limitCommands,
  ...closeCommands,
  ...backupCommands,
  ...staffCommands,
  ...setupCommands,
  ...displayCommands,
} satisfies Record<CommandName, CommandDefinition>;

export type Commands = typeof commands;
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>;
export type CommandOutput<N extends CommandName> = z.output<Commands[N]['output']>;
