/**
 * The customer display (客显): what the customer sees while the cashier works. The counter says what is on
 * show (`display.show`); the host lights the paired LED pole display and sends `customer.display` to the
 * customer window on the second screen. The technician pairs an LED display (a serial port and its baud rate,
 * or the virtual display in demo and training books) and tests it on the Devices screen.
 * Defined here and spread into `commands.ts`, so the contract stays one table.
 */
import { z } from 'zod';
import type { CommandDefinition } from './commands';
import type { DisplayCommandName } from './names';
import { entityId, epochMs, fen, operationId } from './schemas';

function command<I extends z.ZodType, O extends z.ZodType>(definition: CommandDefinition<I, O>) {
  return definition;
}

/** Baud rates LED pole displays ship with (2400 is the usual) or can be set to. */
export const DISPLAY_BAUD_RATES = [2400, 4800, 9600, 19200] as const;

/**
 * What the customer is shown: nothing (between customers), the amount being typed (单价), the total to pay
 * at the confirmation (总计), the cash handed over (收款), the change due (找零), or the operation done with
 * the balance after and a thank-you.
 */
export const DISPLAY_PHASES = ['idle', 'amount', 'total', 'paid', 'change', 'done'] as const;
export const displayPhase = z.enum(DISPLAY_PHASES);

const devicePath = z
  .string()
  .max(255)
  .regex(/^\/[A-Za-z0-9_.:+@/-]+$/, 'must be an absolute device path');

export const ledDisplayPairing = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('serial'),
      path: devicePath,
      baudRate: z
        .number()
        .int()
        .refine((rate) => (DISPLAY_BAUD_RATES as readonly number[]).includes(rate), {
          message: `must be one of ${DISPLAY_BAUD_RATES.join(', ')}`,
        }),
    })
    .strict(),
  /** The virtual display: demo and training books only. */
  z.object({ kind: z.literal('virtual') }).strict(),
]);
export type LedDisplayPairing = z.infer<typeof ledDisplayPairing>;

/** What the customer sees, as the customer window draws it (and the LED display shows its number). */
export const customerView = z.object({
  phase: displayPhase,
  /** The amount typed, the total, or the cash handed over, by phase; null when idle. */
  amountFen: fen.nullable(),
  changeFen: fen.nullable(),
  /** The member's name masked (陈*), never a phone or card number. */
  memberName: z.string().nullable(),
  balanceAfterFen: fen.nullable(),
  /**
   * After a charge, the customer may rate the visit (1 to 5 stars) until `until`; `stars` once they have.
   * Null at every other moment, and for a charge already rated.
   */
  rating: z.object({ until: epochMs, stars: z.number().int().min(1).max(5).nullable() }).nullable(),
  at: epochMs,
});
export type CustomerView = z.infer<typeof customerView>;

export const ledState = z.object({
  lamp: z.enum(['none', 'price', 'total', 'paid', 'change']),
  text: z.string(),
});

export const displayStatus = z.object({
  led: ledDisplayPairing.nullable(),
  /** "serial /dev/ttyUSB0 @ 2400", "virtual display"; null with nothing paired. */
  device: z.string().nullable(),
  state: z.enum(['connected', 'disconnected', 'error', 'simulated']),
  /** Why the display is in error (DISPLAY_OPEN_FAILED…). */
  problem: z.string().nullable(),
  /** What the LED display shows now, as far as this terminal knows. */
  shown: ledState.nullable(),
  /** What the customer window shows now. */
  view: customerView,
});
export type DisplayStatus = z.infer<typeof displayStatus>;

export const displayCommands = {
  'display.show': command({
    summary: 'Show the customer the amount typed, the total, the cash paid and change, or the operation done',
    access: 'card.read',
    input: z
      .object({
        phase: displayPhase,
        amountFen: fen.nonnegative().optional(),
        changeFen: fen.nonnegative().optional(),
        /** The member's card: the host shows the name masked, and the balance after at `done`. */
        cardId: entityId.optional(),
        /** At `done`, the operation just made: a charge of this till's is offered to the customer to rate. */
        operationId: operationId.optional(),
      })
      .strict(),
    output: customerView,
  }),
  'display.rate': command({
    summary:
      "The customer's rating of the charge on show (1 to 5 stars), from the customer window, once per visit and only while it is offered",
    access: 'public',
    input: z.object({ stars: z.number().int().min(1).max(5) }).strict(),
    output: customerView,
  }),
  'display.current': command({
    summary: 'What the customer display shows now (the customer window asks it when it opens)',
    access: 'public',
    input: z.object({}).strict(),
    output: customerView,
  }),
  'display.status': command({
    summary: 'The paired LED customer display, its state and what it shows',
    access: 'devices.read',
    input: z.object({}).strict(),
    output: displayStatus,
  }),
  'display.pair': command({
    summary: 'Pair an LED customer display (serial port and baud rate, or the virtual display); null unpairs',
    access: 'devices.pair',
    input: z.object({ led: ledDisplayPairing.nullable() }).strict(),
    output: displayStatus,
  }),
  'display.test': command({
    summary: 'Light the customer display with a test total (¥8,888.88) and show what it shows',
    access: 'devices.pair',
    input: z.object({}).strict(),
    output: displayStatus,
  }),
} satisfies Record<DisplayCommandName, CommandDefinition>;
