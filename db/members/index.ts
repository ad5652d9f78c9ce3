/**
 * The member registry's public face: members with consent and masked views, search, card life-cycle, member
 * passwords. Opened on a ledger; its tables live in the same SQLite file and migrations.
 */
import type { Keyring } from '../crypto';
import type { Ledger } from '../types';
import { auditWriter } from './audit';
import { memberCredentials } from './credentials';
import { cardLifecycle } from './lifecycle';
import { memberProfiles } from './profiles';
import { personalFields } from './protect';
import { memberRetention } from './retention';
import { memberRoster } from './roster';
import { memberSearch } from './search';
import { encryptClearRows } from './upgrade';

export { isMemberError, MEMBER_ERROR_CODES, MemberError, type MemberErrorCode } from './errors';
export {
  checkBirthday,
  DELETED_MEMBER_NAME,
  maskIdNumber,
  maskName,
  maskPhone,
  normalizeMobile,
  normalizeName,
  parseResidentId,
  type ResidentId,
  residentIdCheckCharacter,
} from './identity';
export type {
  ApprovedCardActionInput,
  CardActionInput,
  CloseCardInput,
  CloseCardResult,
  ReplaceCardInput,
  ReplaceCardResult,
} from './lifecycle';
export { MAX_PASSWORD_FAILURES } from './password';
export type {
  ConsentInput,
  ConsentKind,
  ConsentRecord,
  EditMemberInput,
  MemberExport,
  MemberProfile,
  MemberView,
  RegisterMemberInput,
} from './profiles';
export { RETENTION_SETTING, type RetentionPolicy, type RetentionRun } from './retention';
export {
  MEMBER_SEGMENTS,
  type MemberListFilter,
  type MemberListOrder,
  type MemberListPage,
  type MemberListQuery,
  type MemberListRow,
  type MemberSegment,
} from './roster';
export type { MemberHit, MemberSearchQuery, SearchBy } from './search';

export interface MemberRegistryOptions {
  /** Clock for timestamps (UTC epoch ms); default Date.now. */
  now?: () => number;
  /**
   * The terminal's data keys. With them names, phone and ID numbers, birthdays and notes are stored encrypted,
   * members are found through a keyed blind index, and rows written in clear before are encrypted when the
   * registry opens (`./upgrade.ts`). The host always passes them; a registry opened without keys keeps them in clear.
   */
  fieldKeys?: Keyring;
}

export function openMemberRegistry(ledger: Ledger, options: MemberRegistryOptions = {}) {
  const now = options.now ?? Date.now;
  const audit = auditWriter(ledger.sqlite, now);
  const personal = personalFields(ledger.sqlite, options.fieldKeys);
  const members = memberProfiles(ledger, now, audit, personal);
  const search = memberSearch(ledger.sqlite, personal);
  const roster = memberRoster(ledger.sqlite, personal);
  const credentials = memberCredentials(ledger, now, audit, members);
  const cards = cardLifecycle(ledger, now, audit, members);
  const retention = memberRetention(ledger, now, audit, members);
  members.adoptLedgerMembers();
  encryptClearRows(ledger, personal);
  return {
    /** True when personal fields are stored encrypted (the registry was opened with data keys). */
    encrypted: personal.encrypted,
    register: members.register,
    profile: members.profile,
    nameOf: members.nameOf,
    view: members.view,
    consents: members.consents,
    consentInForce: members.consentInForce,
    recordConsent: members.recordConsent,
    edit: members.edit,
    exportData: members.exportData,
    deleteMember: members.deleteMember,
    /** The store's retention period (null until a manager sets one) and who set it. */
    retentionPolicy: retention.policy,
    setRetentionDays: retention.setRetentionDays,
    /** Anonymises members inactive for longer than the retention period (the scheduled job). */
    runRetention: retention.run,
    /** Members created through the ledger alone get a profile; returns how many. */
    adoptLedgerMembers: members.adoptLedgerMembers,
    searchMembers: search.searchMembers,
    /** The 会员 list: filtered, keyset-paged, phones masked. */
    listMembers: roster.listMembers,
    listTiers: roster.tiers,
    setPassword: credentials.setPassword,
    verifyPassword: credentials.verifyPassword,
    resetPassword: credentials.resetPassword,
    freezeCard: cards.freeze,
    unfreezeCard: cards.unfreeze,
    reportCardLost: cards.reportLost,
    replaceCard: cards.replace,
    closeCard: cards.close,
    /**
     * After a key rotation, one page of the re-encrypt pass (`protect.ts`, `rotatePage`) in one
     * transaction, with `onPage` (the job's resume point) written in the same transaction.
     */
    rotateFieldKeys(after: string, limit: number, onPage: (last: string | null) => void) {
      return ledger.sqlite
        .transaction(() => {
          const page = personal.rotatePage(after, limit);
          onPage(page.last);
          return page;
        })
        .immediate();
    },
    /** How many member profiles the re-encrypt pass walks (its progress bar's total). */
    profileCount: () =>
      (ledger.sqlite.prepare('SELECT count(*) AS n FROM member_profiles').get() as { n: number }).n,
  };
}

export type MemberRegistry = ReturnType<typeof openMemberRegistry>;
export { type AuditWriter, auditWriter } from './audit';
