/**
 * The chain's rule for a card charged by its typed number (`contract/card-format.ts`), kept in the ledger's
 * settings. A missing or malformed setting reads as the defaults, field by field, so a book never charges a
 * secured card by number because of a bad setting.
 */
import type { CardMedium, SettingsStore } from '../../db';
import {
  DEFAULT_KEYED_ENTRY_POLICY,
  type KeyedEntryPolicy,
  type KeyedEntryRule,
  keyedEntryPolicy,
} from '../contract';

export const KEYED_ENTRY_SETTING = 'cards.keyedEntryPolicy';

export function readKeyedEntryPolicy(settings: SettingsStore): KeyedEntryPolicy {
  const stored = keyedEntryPolicy.partial().safeParse(settings.get<unknown>(KEYED_ENTRY_SETTING));
  return { ...DEFAULT_KEYED_ENTRY_POLICY, ...(stored.success ? stored.data : {}) };
}

/** The rule for one card: secured MIFARE cards, UID-read cards (Classic by UID, Ultralight), magstripe, keyed. */
export function keyedEntryRuleFor(policy: KeyedEntryPolicy, medium: CardMedium): KeyedEntryRule {
  if (medium === 'mifare') return policy.secured;
  if (medium === 'uid' || medium === 'ultralight') return policy.uid;
  return medium === 'magstripe' ? policy.magstripe : policy.keyed;
}
