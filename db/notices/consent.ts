/**
 * Whether a member's marketing consent is in force: the latest marketing record grants it. Win-back notices
 * go only to such members, and CRM events name only them.
 */
import type { Database } from '../types';

export function marketingConsent(db: Database): (memberId: string) => boolean {
  const latest = db.prepare<[string], { granted: number }>(
    `SELECT granted FROM member_consents WHERE member_id = ? AND kind = 'marketing' ORDER BY id DESC LIMIT 1`,
  );
  return (memberId) => latest.get(memberId)?.granted === 1;
}
