/**
 * Win-back notices: a manager picks members from the at-risk list and sends each a notice through the
 * notice outbox (delivered like every member notice, with backoff). Only members whose marketing consent is
 * in force are sent one; the others are skipped and counted, never told. A campaign reaches a member once,
 * and sending the same campaign again (a resent request) answers with what the first send did.
 * The campaign's report says who came back: a member counts once they were charged after the notice.
 */
import { CodedError } from '../../common/coded-error';
import type { Ledger, MemberNames } from '../types';
import { marketingConsent } from './consent';

export interface WinBackInput {
  campaignId: string;
  storeId: string;
  staffId: string;
  memberIds: string[];
  message: string;
}

export interface WinBackResult {
  campaignId: string;
  sent: number;
  /** Picked members who have not consented to marketing (or withdrew it). */
  skippedNoConsent: number;
  /** Picked members who are deleted or unknown. */
  skippedDeleted: number;
}

export interface WinBackCampaign extends WinBackResult {
  staffId: string;
  staffName: string;
  message: string;
  at: number;
  /** Members charged after their notice, with the first such charge's time. */
  returned: Array<{ memberId: string; name: string; visitAt: number }>;
}

/** A win-back the ledger refuses as asked (no members picked, an empty or overlong message). */
export class WinBackError extends CodedError<'INPUT_INVALID'> {
  override readonly name = 'WinBackError';
}

export function openWinBack(ledger: Ledger, options: { now?: () => number; names?: MemberNames } = {}) {
  const db = ledger.sqlite;
  const now = options.now ?? Date.now;
  const consented = marketingConsent(db);
  const q = {
    member: db.prepare<[string], { deleted_at: number | null }>(
      'SELECT deleted_at FROM member_profiles WHERE member_id = ?',
    ),
    campaign: db.prepare<
      [string],
      { id: string; skipped_no_consent: number; skipped_deleted: number; sent: number }
    >(
      `SELECT id, skipped_no_consent, skipped_deleted,
              (SELECT COUNT(*) FROM win_back_recipients r WHERE r.campaign_id = c.id) AS sent
       FROM win_back_campaigns c WHERE id = ?`,
    ),
    insertCampaign: db.prepare(
      `INSERT INTO win_back_campaigns (id, store_id, staff_id, message, skipped_no_consent, skipped_deleted, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertNotice: db.prepare<unknown[], { id: number }>(
      `INSERT INTO notices (topic, kind, store_id, member_id, source_seq, source_operation_id, payload, attempts,
         next_attempt_at, created_at)
       VALUES ('member', 'win_back', ?, ?, 0, ?, ?, 0, ?, ?) RETURNING id`,
    ),
    insertRecipient: db.prepare(
      'INSERT INTO win_back_recipients (campaign_id, member_id, notice_id, sent_at) VALUES (?, ?, ?, ?)',
    ),
    campaigns: db.prepare<
      [number],
      {
        id: string;
        staff_id: string;
        staff_name: string | null;
        message: string;
        skipped_no_consent: number;
        skipped_deleted: number;
        created_at: number;
        sent: number;
      }
    >(
      `SELECT c.id, c.staff_id, s.name AS staff_name, c.message, c.skipped_no_consent, c.skipped_deleted, c.created_at,
              (SELECT COUNT(*) FROM win_back_recipients r WHERE r.campaign_id = c.id) AS sent
       FROM win_back_campaigns c LEFT JOIN staff s ON s.id = c.staff_id
       ORDER BY c.created_at DESC, c.id DESC LIMIT ?`,
    ),
    // The first charge on any of the member's cards after the notice went out.
    returned: db.prepare<[string], { member_id: string; name: string; visit_at: number }>(
      `SELECT r.member_id, lm.name,
              (SELECT MIN(o.created_at) FROM cards c JOIN operations o ON o.card_id = c.id
               WHERE c.member_id = r.member_id AND o.kind = 'spend' AND o.created_at > r.sent_at) AS visit_at
       FROM win_back_recipients r JOIN members lm ON lm.id = r.member_id
       JOIN member_roster m ON m.member_id = r.member_id
       WHERE r.campaign_id = ? AND m.last_visit_at > r.sent_at
       ORDER BY visit_at`,
    ),
  };

  return {
    /** Queues one win-back notice per consenting member, in one transaction with the campaign's record. */
    send(input: WinBackInput): WinBackResult {
      const message = input.message.trim();
      if (message === '' || message.length > 200)
        throw new WinBackError('INPUT_INVALID', 'a win-back message has 1 to 200 characters');
      const memberIds = [...new Set(input.memberIds)];
      if (memberIds.length === 0 || memberIds.length > 500)
        throw new WinBackError('INPUT_INVALID', 'pick 1 to 500 members');
      return db
        .transaction((): WinBackResult => {
          const earlier = q.campaign.get(input.campaignId);
          if (earlier !== undefined) {
            return {
              campaignId: earlier.id,
              sent: earlier.sent,
              skippedNoConsent: earlier.skipped_no_consent,
              skippedDeleted: earlier.skipped_deleted,
            };
          }
          const at = now();
          const storeName = ledger.store(input.storeId)?.name ?? '';
          const consenting: string[] = [];
          let skippedNoConsent = 0;
          let skippedDeleted = 0;
          for (const memberId of memberIds) {
            const member = q.member.get(memberId);
            if (member === undefined || member.deleted_at !== null) skippedDeleted += 1;
            else if (!consented(memberId)) skippedNoConsent += 1;
            else consenting.push(memberId);
          }
          q.insertCampaign.run(
            input.campaignId,
            input.storeId,
            input.staffId,
            message,
            skippedNoConsent,
            skippedDeleted,
            at,
          );
          for (const memberId of consenting) {
            const payload = { kind: 'win_back', memberId, storeName, message, at };
            const notice = q.insertNotice.get(
              input.storeId,
              memberId,
              input.campaignId,
              JSON.stringify(payload),
              at,
              at,
            ) as { id: number };
            q.insertRecipient.run(input.campaignId, memberId, notice.id, at);
          }
          return { campaignId: input.campaignId, sent: consenting.length, skippedNoConsent, skippedDeleted };
        })
        .immediate();
    },

    /** The latest campaigns, newest first, each with the members who came back since. */
    campaigns(limit = 20): WinBackCampaign[] {
      return q.campaigns.all(limit).map((row) => ({
        campaignId: row.id,
        staffId: row.staff_id,
        staffName: row.staff_name ?? '',
        message: row.message,
        at: row.created_at,
        sent: row.sent,
        skippedNoConsent: row.skipped_no_consent,
        skippedDeleted: row.skipped_deleted,
        returned: q.returned.all(row.id).map((r) => ({
          memberId: r.member_id,
          name: options.names?.(r.member_id) ?? r.name,
          visitAt: r.visit_at,
        })),
      }));
    },
  };
}

export type WinBack = ReturnType<typeof openWinBack>;
