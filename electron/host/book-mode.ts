/**
 * Which kind of book this host has open. A book is in exactly one mode, fixed when it is created:
 * - `live`: a real store's book (set up on the first start's setup screen, standalone or joined to a chain);
 * - `demo`: the demo café with its known PINs, never enrolled with headquarters;
 * - `training`: a separate book for practice, never synced.
 * Known PINs and the simulator exist only in demo and training; the host, not the screen, refuses them elsewhere.
 */
import { DEMO, type SettingsStore } from '../../db';

export type BookMode = 'live' | 'demo' | 'training';

/** The settings key the mode is written under when a book is created. */
export const BOOK_MODE_SETTING = 'book.mode';

const MODES: readonly BookMode[] = ['live', 'demo', 'training'];

export function isBookMode(value: unknown): value is BookMode {
  return typeof value === 'string' && (MODES as readonly string[]).includes(value);
}

/**
 * The open book's mode. A training book is training whatever it says; a book written before modes existed
 * was seeded with the demo store, so a book without a mode is demo when it holds the demo store, else live.
 */
export function readBookMode(
  settings: SettingsStore,
  context: { trainingMode: boolean; storeId: string },
): BookMode {
  if (context.trainingMode) return 'training';
  const stored = settings.get<unknown>(BOOK_MODE_SETTING);
  if (isBookMode(stored)) return stored;
  return context.storeId === DEMO.storeId ? 'demo' : 'live';
}

/** Whether practice tools (the simulator, the demo PINs on the login screen) may be offered. */
export function allowsPractice(mode: BookMode): boolean {
  return mode !== 'live';
}
