/**
 * The HQ link panel (see `contract/hq.ts`): the till's link as the settings hold it, and joining a chain with
 * a one-time code, which the host does without a restart (`Host.joinChain`). Permission checks (`devices.read`,
 * `hq.enrol`) have already happened in `api.ts`; the join is audited by the host under the admin.
 */
import type { Ledger } from '../../../db';
import type { CommandName, HqLinkView } from '../../contract';
import { ApiError } from '../../errors';
import type { CardKeyMaterial } from '../../keystore/card-keys';
import type { Handlers } from '../api';
import type { HostAudit } from '../audit';
import { allowsPractice, readBookMode } from '../book-mode';
import { type CardSecurity, cardKeyFingerprint } from '../card-security';
import type { SyncNowAnswer } from '../devices/sync';
import { openSealedCardKeys, sealCardKeys } from '../enrolment/key-transfer';
import { type HqLink, readHqLink } from '../enrolment/link';
import { staffOf } from './logged-in';

export type HqHandlerNames = Extract<CommandName, `hq.${string}` | `cardKeys.${string}`>;

export function hqHandlers(deps: {
  ledger: Ledger;
  security: CardSecurity;
  identity: { storeId: string };
  trainingMode: boolean;
  joinChain: (input: { hqUrl: string; code: string; staffId: string }) => Promise<HqLink>;
  /** A sync round now (`SyncLink.syncNow`). */
  syncNow: () => Promise<SyncNowAnswer>;
  /** Puts card keys from a second till's sealed file in place (key store, readers), audited by the host. */
  adoptCardKeys: (keys: CardKeyMaterial, staffId: string) => Promise<void>;
  audit: HostAudit;
  now: () => number;
}): Pick<Handlers, HqHandlerNames> {
  /** A till of a chain has the chain's keys from HQ: they are neither exported nor replaced by hand. */
  const standalone = (staffId: string, action: string) => {
    if (readHqLink(deps.ledger.settings) !== undefined) {
      deps.audit.record({ action, outcome: 'rejected', code: 'CARD_KEYS_FROM_HQ', staffId, details: {} });
      throw new ApiError(
        'CARD_KEYS_FROM_HQ',
        'This till has the chain’s card keys from HQ; enrol the other till with HQ instead.',
      );
    }
  };
  const canJoin = () =>
    !allowsPractice(
      readBookMode(deps.ledger.settings, { trainingMode: deps.trainingMode, storeId: deps.identity.storeId }),
    );
  const view = (): HqLinkView => {
    const link = readHqLink(deps.ledger.settings);
    return {
      linked: link !== undefined,
      canJoin: canJoin(),
      hqUrl: link?.url ?? null,
      terminalId: link?.terminalId ?? null,
      terminalName: link?.terminalName ?? null,
      storeId: link?.storeId ?? null,
      publicKey: link?.publicKey ?? null,
      enrolledAt: link?.enrolledAt ?? null,
      revokedAt: link?.revokedAt ?? null,
      cardKeyFingerprint: cardKeyFingerprint(deps.security.keys),
    };
  };
  return {
    'hq.status': () => view(),
    'hq.syncNow': () => deps.syncNow(),
    'hq.join': async ({ hqUrl, code }, { session }) => {
      const staff = staffOf(session);
      if (!canJoin()) {
        throw new ApiError('ENROLMENT_NOT_ALLOWED', 'A demo or training book never joins a chain.');
      }
      await deps.joinChain({ hqUrl, code, staffId: staff.id });
      return view();
    },
    'cardKeys.export': ({ passphrase }, { session }) => {
      const staffId = session.staff?.id ?? null;
      standalone(staffId ?? '', 'card_keys.export');
      const fingerprint = cardKeyFingerprint(deps.security.keys);
      const content = sealCardKeys(deps.security.keys, passphrase, fingerprint);
      deps.audit.record({ action: 'card_keys.export', staffId, details: { fingerprint } });
      const stamp = new Date(deps.now()).toISOString().slice(0, 10);
      return { fileName: `card-keys-${stamp}.poskeys`, content, fingerprint };
    },
    'cardKeys.import': async ({ content, passphrase }, { session }) => {
      const staffId = session.staff?.id ?? '';
      standalone(staffId, 'card_keys.import');
      let keys: CardKeyMaterial;
      try {
        keys = openSealedCardKeys(content, passphrase);
      } catch (error) {
        const code = error instanceof ApiError ? error.code : 'CARD_KEYS_FILE_INVALID';
        deps.audit.record({ action: 'card_keys.import', outcome: 'rejected', code, staffId, details: {} });
        throw error;
      }
      await deps.adoptCardKeys(keys, staffId);
      return view();
    },
  };
}
