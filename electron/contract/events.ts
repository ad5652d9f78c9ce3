/**
 * Every event the host pushes to the renderer. Hardware and the simulator emit the same events, so the counter
 * cannot tell (and need not care) whether a card came from a reader or from the training panel.
 */
import { z } from 'zod';
import { customerView } from './display';
import type { EventName } from './names';
import { deviceKind, deviceState, epochMs, receiptPrint, syncStatus } from './schemas';

const source = z.enum(['reader', 'swiper', 'simulator']);

export const events = {
  /**
   * A card on a reader: its UID, the member number when the card's secured format carries one, or the reason
   * the card cannot be used here (CARD_FOREIGN, CARD_UNSUPPORTED).
   */
  'card.presented': z.object({
    uid: z.string(),
    cardNumber: z.string().optional(),
    refused: z.string().optional(),
    source,
    reader: z.string().optional(),
    at: epochMs,
  }),
  'card.removed': z.object({ uid: z.string(), source, at: epochMs }),
  /**
   * A swipe: the member number, or why it was refused (SWIPE_UNREADABLE, CARD_IS_PAYMENT_CARD,
   * CARD_NOT_MEMBER_CARD). A bank card's tracks never leave the driver; only the refusal does.
   */
  swipe: z.object({ cardNumber: z.string().nullable(), refused: z.string().nullable(), source, at: epochMs }),
  'device.status': z.object({
    device: z.string(),
    kind: deviceKind,
    state: deviceState,
    detail: z.string().optional(),
  }),
  'print.status': receiptPrint.extend({ message: z.string().optional() }),
  'sync.status': syncStatus,
  /** How far an export has come: rows written of the total. */
  'export.progress': z.object({ exportId: z.string(), rows: z.number().int(), total: z.number().int() }),
  /** What the customer display shows: the customer window on the second screen draws it. */
  'customer.display': customerView,
} satisfies Record<EventName, z.ZodType>;

export type Events = typeof events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
