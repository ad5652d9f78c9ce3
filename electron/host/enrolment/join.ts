/**
 * Joining a chain, in two steps the setup screen and the Devices screen both take:
 *
 * 1. `exchangeEnrolmentCode` asks HQ once: it makes the till's Ed25519 signing pair here, sends the public half
 *    with a one-time code, and gets back the store, this terminal's identity, the chain's card format and card
 *    keys (sealed to this till and opened here), bonus rules, tiers, offline caps and the typed-number rule.
 *    It writes nothing: when it fails (a wrong, used or expired code, another store's code, HQ unreachable,
 *    a clock far off) the till is as it was and the technician can try again.
 * 2. `applyEnrolment` writes that answer: into a freshly created book (store row, terminal row, identity, mode,
 *    rules, tiers, caps, typed-number rule) or into a standalone store's book that joins later (its store stays, its outbox goes up
 *    under HQ's terminal id). The signing key and the card keys go into the key store, wrapped; the settings get
 *    only the HQ link (`host.hq`), which holds no secret.
 */
import type { Ledger } from '../../../db';
import { adoptChainTiers, openFeedSink, withinTransaction } from '../../../db';
import {
  type CardFormat,
  type ChainKeyedEntryPolicy,
  type EnrolStore,
  enrolTerminal,
  type FeedEntry,
  type OfflineCaps,
  SETTINGS_KEYS,
  SyncError,
  type WireTier,
} from '../../../sync/index';
import { ApiError } from '../../errors';
import type { CardKeyMaterial } from '../../keystore/card-keys';
import { SECRET_NAMES, type SecretStore } from '../../keystore/secrets';
import { BOOK_MODE_SETTING, readBookMode } from '../book-mode';
import { CARD_SECURITY_SETTING, cardKeyFingerprint } from '../card-security';
import { cardKeysSecret, hiddenCardKeys } from './card-keys';
import { HQ_SETTING, type HqLink, readHqLink } from './link';

/** Stable codes an enrolment can fail with; each has words in the renderer's i18n. */
export const ENROLMENT_ERROR_CODES = [
  /** HQ knows no such code (mistyped, or never issued). */
  'ENROLMENT_CODE_UNKNOWN',
  /** The code was already exchanged once. */
  'ENROLMENT_CODE_USED',
  /** The code is past its expiry; HQ must issue a new one. */
  'ENROLMENT_CODE_EXPIRED',
  /** The code is for another store than the one this till belongs to. */
  'ENROLMENT_CODE_OTHER_STORE',
  /** HQ did not answer (network down, wrong address, timeout). Nothing was written; try again. */
  'HQ_UNREACHABLE',
  /** The till's clock is too far from HQ's: set the date and time, then try again. */
  'CLOCK_SKEW',
  /** The HQ address is not a URL, or not HTTPS off this machine. */
  'HQ_ADDRESS_INVALID',
  /** HQ answered with something this till cannot read, or with card keys sealed to another key. */
  'HQ_ANSWER_INVALID',
  /** A demo or training book never joins a chain. */
  'ENROLMENT_NOT_ALLOWED',
  /** The terminal id HQ assigned already has operations at HQ that this book did not send. */
  'ENROLMENT_TERMINAL_IN_USE',
  /** HQ refused for another reason (details carry HQ's code). */
  'ENROLMENT_FAILED',
] as const;
export type EnrolmentErrorCode = (typeof ENROLMENT_ERROR_CODES)[number];

/** The till's credentials with HQ: the private seed is not enumerable, so it is never logged or serialised. */
export interface EnrolmentCredentials {
  readonly terminalId: string;
  /** Ed25519 public key HQ verifies with (base64url). */
  readonly publicKey: string;
  /** Ed25519 private seed (base64url); non-enumerable. */
  readonly privateKey: string;
}

/** HQ's answer to one code, opened and checked, not yet written anywhere. */
export interface EnrolmentAnswer {
  hqUrl: string;
  store: EnrolStore;
  terminal: { id: string; name: string };
  /** The highest sequence HQ already holds from this terminal id (a replaced till continues after it). */
  lastSeq: number;
  cardFormat: CardFormat;
  /** The chain's card keys, key bytes not enumerable. */
  cardKeys: CardKeyMaterial;
  /** What the Devices screen shows so a technician can compare two tills (see `cardKeyFingerprint`). */
  cardKeyFingerprint: string;
  /** The store's HQ bonus rules, as the feed entries that published them. */
  bonusRules: FeedEntry[];
  tiers: WireTier[];
  caps: OfflineCaps;
  /** The chain's rule for typed card numbers; absent from an HQ older than that rule. */
  keyedEntry?: ChainKeyedEntryPolicy;
  credentials: EnrolmentCredentials;
  /** HQ's clock when it answered. */
  serverTime: number;
}

export interface ExchangeInput {
  /** HQ's address, e.g. https://hq.example.com (plain http only to this machine). */
  hqUrl: string;
  /** The one-time code, as typed or scanned (HQ ignores case, spaces and dashes). */
  code: string;
  /** When this book already belongs to an HQ store (re-enrolment): the code must be for that store. */
  expectedStoreId?: string;
  now?: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** HQ's codes (and the sync layer's) in the words the till uses. */
function enrolmentError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (!(error instanceof SyncError)) {
    return new ApiError('ENROLMENT_FAILED', 'The enrolment failed.', { cause: error });
  }
  const map: Record<string, EnrolmentErrorCode> = {
    ENROLMENT_CODE_UNKNOWN: 'ENROLMENT_CODE_UNKNOWN',
    ENROLMENT_CODE_USED: 'ENROLMENT_CODE_USED',
    ENROLMENT_CODE_EXPIRED: 'ENROLMENT_CODE_EXPIRED',
    ENROLMENT_CODE_OTHER_STORE: 'ENROLMENT_CODE_OTHER_STORE',
    CLOCK_SKEW: 'CLOCK_SKEW',
    HQ_UNREACHABLE: 'HQ_UNREACHABLE',
    HQ_TIMEOUT: 'HQ_UNREACHABLE',
    HQ_UNAVAILABLE: 'HQ_UNREACHABLE',
    HQ_INTERNAL: 'HQ_UNREACHABLE',
    HQ_DATABASE_UNAVAILABLE: 'HQ_UNREACHABLE',
    HQ_URL_INVALID: 'HQ_ADDRESS_INVALID',
    TRANSPORT_INSECURE: 'HQ_ADDRESS_INVALID',
    HQ_RESPONSE_INVALID: 'HQ_ANSWER_INVALID',
    SEALED_BOX_INVALID: 'HQ_ANSWER_INVALID',
    KEY_MALFORMED: 'HQ_ANSWER_INVALID',
  };
  const code = map[error.code] ?? 'ENROLMENT_FAILED';
  return new ApiError(code, error.message, {
    cause: error,
    details: { ...(error.details ?? {}), hqCode: error.code },
  });
}

/**
 * Exchanges a one-time enrolment code with HQ. HQ spends the code only when it answers; on any failure this
 * throws an ApiError with one of `ENROLMENT_ERROR_CODES` and nothing on the till has changed.
 */
export async function exchangeEnrolmentCode(input: ExchangeInput): Promise<EnrolmentAnswer> {
  try {
    const enrolled = await enrolTerminal(input.hqUrl.trim(), input.code.trim(), {
      ...(input.now ? { now: input.now } : {}),
      ...(input.fetch ? { fetch: input.fetch } : {}),
      ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
      ...(input.expectedStoreId ? { expectedStoreId: input.expectedStoreId } : {}),
    });
    const { answer } = enrolled;
    const cardKeys = hiddenCardKeys(enrolled.cardKeys.masterKey, enrolled.cardKeys.chainSecret);
    const credentials = { terminalId: enrolled.terminalId, publicKey: enrolled.publicKey };
    Object.defineProperty(credentials, 'privateKey', { value: enrolled.key, enumerable: false });
    return {
      hqUrl: new URL(input.hqUrl.trim()).origin,
      store: answer.store,
      terminal: answer.terminal,
      lastSeq: answer.lastSeq,
      cardFormat: answer.cardFormat,
      cardKeys,
      cardKeyFingerprint: cardKeyFingerprint(cardKeys),
      bonusRules: answer.bonusRules,
      tiers: answer.tiers,
      caps: answer.caps,
      ...(answer.keyedEntry === undefined ? {} : { keyedEntry: answer.keyedEntry }),
      credentials: credentials as EnrolmentCredentials,
      serverTime: answer.serverTime,
    };
  } catch (error) {
    throw enrolmentError(error);
  }
}

export interface ApplyEnrolmentInput {
  ledger: Ledger;
  /** The key store's secrets file: the signing key and the card keys are kept there, wrapped. */
  secrets: SecretStore;
  answer: EnrolmentAnswer;
  now?: () => number;
}

/** The defaults a store row needs that HQ does not send (a manager changes them on the settings screen). */
const NEW_STORE_DEFAULTS = {
  dayCloseHour: 4,
  spendPolicy: 'principal_first',
  singleOperationLimitFen: 5_000_000,
} as const;

export const IDENTITY_SETTING = 'host.identity';

/**
 * Writes an exchanged answer. In a book with no store yet it creates the store and terminal rows under HQ's ids
 * and marks the book live; in a standalone store's book it keeps the store and sends its outbox under HQ's
 * terminal id. Secrets first (key store), then one ledger transaction for the rows and the link: a crash
 * between the two leaves a book that is not linked and can enrol again.
 */
export async function applyEnrolment(input: ApplyEnrolmentInput): Promise<HqLink> {
  const { ledger, secrets, answer } = input;
  const now = input.now ?? Date.now;
  const identity = ledger.settings.get<{ storeId: string; terminalId: string }>(IDENTITY_SETTING);
  const mode = readBookMode(ledger.settings, { trainingMode: false, storeId: identity?.storeId ?? '' });
  if (mode !== 'live') {
    throw new ApiError('ENROLMENT_NOT_ALLOWED', 'A demo or training book never joins a chain.', {
      details: { mode },
    });
  }
  const previous = readHqLink(ledger.settings);
  const sameTerminal = previous?.terminalId === answer.terminal.id;
  const sentBefore = ledger.outbox.stats().lastSentAt !== null || ledger.outbox.stats().waiting > 0;
  if (answer.lastSeq > 0 && sentBefore && !sameTerminal) {
    throw new ApiError(
      'ENROLMENT_TERMINAL_IN_USE',
      'HQ already holds operations from this terminal id that this book did not send; ask HQ for a new terminal.',
      { details: { terminalId: answer.terminal.id, lastSeq: answer.lastSeq } },
    );
  }

  await secrets.put(SECRET_NAMES.hqSigningKey, Buffer.from(answer.credentials.privateKey));
  await secrets.put(SECRET_NAMES.cardKeys, cardKeysSecret(answer.cardKeys));

  const at = now();
  const link: HqLink = {
    url: answer.hqUrl,
    terminalId: answer.terminal.id,
    terminalName: answer.terminal.name,
    storeId: answer.store.id,
    localStoreId: identity?.storeId ?? answer.store.id,
    publicKey: answer.credentials.publicKey,
    cardKeyFingerprint: answer.cardKeyFingerprint,
    enrolledAt: at,
  };
  withinTransaction(ledger, () => {
    if (identity === undefined) {
      ledger.createStore({
        id: answer.store.id,
        name: answer.store.name,
        currency: answer.store.currency,
        timeZone: answer.store.timeZone,
        ...NEW_STORE_DEFAULTS,
      });
      ledger.createTerminal({ id: answer.terminal.id, storeId: answer.store.id, name: answer.terminal.name });
      ledger.settings.set(IDENTITY_SETTING, { storeId: answer.store.id, terminalId: answer.terminal.id });
      ledger.settings.set(BOOK_MODE_SETTING, 'live');
      ledger.settings.set('store.address', answer.store.address);
      // A replaced till's book starts after the rows HQ already holds from this terminal id.
      if (answer.lastSeq > 0) ledger.outbox.startAfter(answer.lastSeq);
    }
    ledger.settings.set(CARD_SECURITY_SETTING, answer.cardFormat);
    ledger.settings.set(SETTINGS_KEYS.caps, answer.caps);
    if (answer.keyedEntry !== undefined) ledger.settings.set(SETTINGS_KEYS.keyedEntry, answer.keyedEntry);
    adoptChainTiers(ledger, link.localStoreId, answer.tiers);
    ledger.settings.set(HQ_SETTING, link);
  });
  // Rules go through the feed's own path, so the first pull finds them applied and repeats none.
  if (answer.bonusRules.length > 0) openFeedSink(ledger, { now }).apply(answer.bonusRules);
  return link;
}
