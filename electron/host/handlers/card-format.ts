/**
 * The member-card format panel (see `contract/card-format.ts`). Each change is written like every other
 * settings change: in one immediate transaction with a `settings.change` audit line naming the key, the old
 * and the new value and who changed it; a refusal leaves a rejected line with its code. The readers were set
 * up with the format at start, so a saved change is used from the next start; the view shows both.
 */
import { type Ledger, ledgerAudit } from '../../../db';
import type {
  CardFormatSettings,
  CardFormatView,
  CommandName,
  KeyedEntryPolicy,
  KeyedEntryView,
} from '../../contract';
import { ApiError } from '../../errors';
import type { Handlers } from '../api';
import {
  CARD_SECURITY_SETTING,
  type CardSecurity,
  cardKeyFingerprint,
  isCardSecuritySettings,
} from '../card-security';
import { KEYED_ENTRY_SETTING, keyedEntrySetBy, readKeyedEntryPolicy } from '../keyed-entry';
import type { Session } from '../session';
import { staffOf } from './logged-in';

export type CardFormatHandlerNames = Extract<CommandName, `cardFormat.${string}`>;

function settingsOf(security: CardFormatSettings): CardFormatSettings {
  return { chainId: security.chainId, sector: security.sector, purse: security.purse };
}

function sameSettings(a: CardFormatSettings, b: CardFormatSettings): boolean {
  return a.chainId === b.chainId && a.sector === b.sector && a.purse === b.purse;
}

const staffId = (session: Session): string => staffOf(session).id;

export function cardFormatHandlers(deps: {
  ledger: Ledger;
  security: CardSecurity;
  identity: { terminalId: string };
  now: () => number;
}): Pick<Handlers, CardFormatHandlerNames> {
  const { ledger } = deps;
  const audit = ledgerAudit(ledger, deps.now);

  /** The saved settings; the host refused to start on a malformed one, so this is only a guard. */
  function saved(): CardFormatSettings {
    const stored = ledger.settings.get<unknown>(CARD_SECURITY_SETTING);
    if (!isCardSecuritySettings(stored)) {
      throw new ApiError('CARD_CONFIG_INVALID', `the ${CARD_SECURITY_SETTING} setting is malformed`, {
        details: { setting: CARD_SECURITY_SETTING },
      });
    }
    return settingsOf(stored);
  }

  function view(): CardFormatView {
    const next = saved();
    // Read each time: joining a chain puts the chain's format and keys in place while the host runs.
    const inUse = settingsOf(deps.security);
    return {
      inUse,
      saved: next,
      restartRequired: !sameSettings(inUse, next),
      keyFingerprint: cardKeyFingerprint(deps.security.keys),
    };
  }

  /** Saves `change(before)` with its audit line; a change that changes nothing writes nothing. */
  function change(
    session: Session,
    work: (before: CardFormatSettings) => CardFormatSettings,
  ): CardFormatView {
    const who = { staffId: staffId(session), terminalId: deps.identity.terminalId };
    audit.guarded('settings.change', who, () => {
      const before = saved();
      const after = work(before);
      if (sameSettings(before, after)) return;
      ledger.settings.set(CARD_SECURITY_SETTING, after);
      audit.write({
        at: deps.now(),
        action: 'settings.change',
        outcome: 'ok',
        ...who,
        details: { key: CARD_SECURITY_SETTING, from: before, to: after },
      });
    });
    return view();
  }

  function keyedEntryView(): KeyedEntryView {
    return { ...readKeyedEntryPolicy(ledger.settings), setBy: keyedEntrySetBy(ledger.settings) };
  }

  /**
   * A standalone store's typed-number rule, changed with its audit line in the same transaction; it applies to
   * the next charge. A till of a chain follows HQ's rule: a local change is refused (and audited as refused).
   */
  function changeKeyedEntry(session: Session, change: Partial<KeyedEntryPolicy>): KeyedEntryView {
    const who = { staffId: staffId(session), terminalId: deps.identity.terminalId };
    audit.guarded('settings.change', who, () => {
      if (keyedEntrySetBy(ledger.settings) === 'hq') {
        throw new ApiError(
          'KEYED_ENTRY_SET_BY_HQ',
          "This till follows its chain's rule for typed card numbers; a chain admin changes it at HQ",
          { details: { key: KEYED_ENTRY_SETTING, change } },
        );
      }
      const before = readKeyedEntryPolicy(ledger.settings);
      const after = { ...before, ...change };
      if (JSON.stringify(before) === JSON.stringify(after)) return;
      ledger.settings.set(KEYED_ENTRY_SETTING, after);
      audit.write({
        at: deps.now(),
        action: 'settings.change',
        outcome: 'ok',
        ...who,
        details: { key: KEYED_ENTRY_SETTING, from: before, to: after },
      });
    });
    return keyedEntryView();
  }

  return {
    'cardFormat.keyedEntry': () => keyedEntryView(),
    'cardFormat.setKeyedEntry': (change, { session }) => changeKeyedEntry(session, change),
    'cardFormat.get': () => view(),
    'cardFormat.set': ({ sector, purse }, { session }) =>
      change(session, (before) => ({
        ...before,
        ...(sector === undefined ? {} : { sector }),
        ...(purse === undefined ? {} : { purse }),
      })),
    'cardFormat.setChain': ({ chainId, confirmForeignCards }, { session }) =>
      change(session, (before) => {
        // Checked inside the audited transaction so an unconfirmed attempt is on the audit chain too.
        if (!confirmForeignCards && chainId !== before.chainId) {
          throw new ApiError(
            'CARD_CHAIN_CONFIRMATION_REQUIRED',
            'Cards issued under the current chain id will read as not issued by this chain unless re-issued; confirm to change it',
            { details: { from: before.chainId, to: chainId } },
          );
        }
        return { ...before, chainId };
      }),
  };
}
