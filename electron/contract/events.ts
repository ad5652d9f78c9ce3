/**
 * Every event the host pushes to the renderer. Hardware and the simulator emit the same events, so the counter
 * cannot tell (and need not care) whether a card came from a reader or from the training panel.
 */
import { z } from 'zod';
import type { EventName } from './names';
import { deviceKind, deviceState, epochMs } from './schemas';

const source = z.enum(['reader', 'swiper', 'simulator']);

export const events = {
  'card.presented': z.object({ uid: z.string(), source, reader: z.string().optional(), at: epochMs }),
  'card.removed': z.object({ uid: z.string(), source, at: epochMs }),
  /** A member card swiped; bank cards are refused by the swiper driver and never reach this event. */
  swipe: z.object({ cardNumber: z.string(), source, at: epochMs }),
  'device.status': z.object({
    device: z.string(),
    kind: deviceKind,
    state: deviceState,
    detail: z.string().optional(),
  }),
  'print.status': z.object({
    jobId: z.string(),
    state: z.enum(['queued', 'printing', 'printed', 'failed']),
    code: z.string().optional(),
    message: z.string().optional(),
  }),
  'sync.status': z.object({
    state: z.enum(['disabled', 'idle', 'syncing', 'offline', 'error']),
    pending: z.number().int().nonnegative(),
    lastSyncedAt: epochMs.nullable(),
  }),
} satisfies Record<EventName, z.ZodType>;

export type Events = typeof events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
