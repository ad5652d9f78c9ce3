/**
 * The rule for a card charged by its typed number (`contract/card-format.ts`). A till enrolled with HQ follows
 * its chain's rule, which a chain admin sets at HQ and the till receives at enrolment and on every pull
 * (`sync.keyedEntryPolicy`); a standalone store keeps its own in `cards.keyedEntryPolicy`, set by its admin on
 * the Devices screen. A missing or malformed setting reads as the defaults, field by field, so a book never
 * charges a secured card by number because of a bad setting.
 */
import type { CardMedium, SettingsStore } from '../../db';
import { SETTINGS_KEYS } from '../../sync/index';
import {
  DEFAULT_KEYED_ENTRY_POLICY,
  type KeyedEntryPolicy,
  type KeyedEntryRule,
  keyedEntryPolicy,
} from '../contract';
import { readHqLink } from './enrolment/link';

/** The store's own rule: what a standalone store's admin set. */
export const KEYED_ENTRY_SETTING = 'cards.keyedEntryPolicy';
/** The chain's rule as HQ last sent it. */
export const CHAIN_KEYED_ENTRY_SETTING = SETTINGS_KEYS.keyedEntry;

/** Who sets the rule this till follows: its chain's HQ, or the store itself. */
export type KeyedEntrySetBy = 'hq' | 'store';

/** HQ's rule on a till of a chain that sent one; the store's own otherwise (a till of an older HQ keeps its own). */
export function keyedEntrySetBy(settings: SettingsStore): KeyedEntrySetBy {
  if (readHqLink(settings) === undefined) return 'store';
  return keyedEntryPolicy.safeParse(settings.get<unknown>(CHAIN_KEYED_ENTRY_SETTING)).success
    ? 'hq'
    : 'store';
}

export function readKeyedEntryPolicy(settings: SettingsStore): KeyedEntryPolicy {
  const key = keyedEntrySetBy(settings) === 'hq' ? CHAIN_KEYED_ENTRY_SETTING : KEYED_ENTRY_SETTING;
  const stored = keyedEntryPolicy.partial().safeParse(settings.get<unknown>(key));
  return { ...DEFAULT_KEYED_ENTRY_POLICY, ...(stored.success ? stored.data : {}) };
}

/** The rule for one card: secured MIFARE cards, UID-read cards (Classic by UID, Ultralight), magstripe, keyed. */
export function keyedEntryRuleFor(policy: KeyedEntryPolicy, medium: CardMedium): KeyedEntryRule {
  if (medium === 'mifare') return policy.secured;
  if (medium === 'uid' || medium === 'ultralight') return policy.uid;
  return medium === 'magstripe' ? policy.magstripe : policy.keyed;
}
