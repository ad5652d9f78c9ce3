/**
 * Where a member's name leaves the till, it leaves in clear, as it did before names were encrypted at rest.
 * The ledger's own row, its outbox line and the notice made from it keep only the mask (王**), so the ledger
 * file holds no name; the clear name is put back, from the member registry, at the moment a line is sent:
 *
 * - To HQ, over the till's signed channel. HQ needs the name: the chain console finds members by name, and
 *   HQ's feed gives other stores the name of a card's holder when it is tapped there. A member deleted before
 *   the line went up reaches HQ as the anonymised name, never the old one. (Phone numbers keep travelling as
 *   the ledger's mask, as before: nothing at HQ needs the number. Birthdays and notes never leave the till.)
 * - To the store's CRM, for a member who consented to marketing (`withoutPersonalDetails` drops the name for
 *   the others before the notice is written).
 */
import type { MemberNames } from '../../db';
import type { OutboxStore } from '../../sync/index';

/** `payload` with its `member.name` (at `path`) replaced by the member's name in clear, when there is one. */
export function withMemberName<T>(payload: T, names: MemberNames, path: readonly string[] = ['member']): T {
  const holder = path.reduce<unknown>(
    (value, key) => (isRecord(value) ? value[key] : undefined),
    payload as unknown,
  );
  if (!isRecord(holder) || typeof holder.id !== 'string' || typeof holder.name !== 'string') return payload;
  const name = names(holder.id);
  if (name === undefined || name === holder.name) return payload;
  const replace = (value: unknown, depth: number): unknown => {
    if (depth === path.length) return { ...(value as Record<string, unknown>), name };
    const record = value as Record<string, unknown>;
    const key = path[depth] as string;
    return { ...record, [key]: replace(record[key], depth + 1) };
  };
  return replace(payload, 0) as T;
}

/** The ledger's outbox as the sync worker reads it, with members' names in clear. */
export function outboxWithNames(outbox: OutboxStore, names: MemberNames): OutboxStore {
  return {
    pending: (limit) =>
      outbox
        .pending(limit)
        .map((row) =>
          row.kind === 'member_created' ? { ...row, payload: withMemberName(row.payload, names) } : row,
        ),
    markSent: (seqs, at) => outbox.markSent(seqs, at),
    stats: () => outbox.stats(),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
