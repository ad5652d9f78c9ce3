/**
 * The first start: a data directory without a book answers these (and nothing that needs a login) until a
 * book exists. Joining a chain, a standalone store and the demo café each create one; once a book is set up
 * every setup command is refused with SETUP_DONE.
 */
import { z } from 'zod';
import type { CommandDefinition } from './definition';
import { bookMode } from './schemas';

/** Kept loose here so the host can say in words what is wrong (PIN_MISMATCH, TIME_ZONE_UNKNOWN, ...). */
const firstAdmin = z
  .object({
    name: z.string().max(40),
    staffNo: z.string().max(16),
    pin: z.string().max(16),
    pinAgain: z.string().max(16),
  })
  .strict();
export type FirstAdmin = z.infer<typeof firstAdmin>;

/** The book setup created; the screen goes on to the login. */
const setUpBook = z.object({ mode: bookMode, storeName: z.string(), terminalId: z.string() });
export type SetUpBook = z.infer<typeof setUpBook>;

/**
 * A live store's new book, with its recovery sheet's code: shown once to the first admin to print or write
 * down, so the last admin's way back in exists from the first day (kept by the host only as a hash).
 */
const newLiveBook = setUpBook.extend({ recoveryCode: z.string() });

export const setupCommands = {
  'setup.status': {
    summary: 'Whether this terminal still needs its first-start setup',
    access: 'public',
    input: z.object({}).strict(),
    output: z.object({ needed: z.boolean() }),
  },
  'setup.standalone': {
    summary: 'Set up a standalone store: its name and time zone, and the first admin with their own PIN',
    access: 'public',
    input: z
      .object({ storeName: z.string().max(60), timeZone: z.string().max(64), admin: firstAdmin })
      .strict(),
    output: newLiveBook,
  },
  'setup.join': {
    summary: "Join a chain: exchange HQ's one-time enrolment code, then create the first admin",
    access: 'public',
    input: z.object({ hqUrl: z.string().max(200), code: z.string().max(128), admin: firstAdmin }).strict(),
    output: newLiveBook,
  },
  'setup.demo': {
    summary: 'Open the demo café (known PINs, sample members); never enrolled with HQ',
    access: 'public',
    input: z.object({}).strict(),
    output: setUpBook,
  },
  'setup.restore': {
    summary:
      "A new machine for a standalone store: restore the newest backup in a folder with the store's backup recovery code",
    access: 'public',
    input: z.object({ folder: z.string().max(500), code: z.string().max(64) }).strict(),
    output: setUpBook.extend({ backupTakenAt: z.number().int() }),
  },
} satisfies Record<string, CommandDefinition>;
