/**
 * HQ's own audit trail: every change made at HQ — through an admin route or the command line — and every
 * sign-in, with who, what, on which target, and whether it was done or refused (with the code).
 */
import { desc, lt } from 'drizzle-orm';
import type { HqDatabase } from './database';
import { hqAdminAudit } from './schema';

export interface AdminAuditEntry {
  at: number;
  actor: string | null;
  action: string;
  target?: string | null;
  outcome: 'done' | 'refused';
  code?: string | null;
  details?: Record<string, unknown> | null;
  address?: string | null;
}

export class AdminAudit {
  constructor(private readonly database: HqDatabase) {}

  async record(entry: AdminAuditEntry): Promise<void> {
    await this.database.exclusive(() =>
      this.database.db.insert(hqAdminAudit).values({
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        target: entry.target ?? null,
        outcome: entry.outcome,
        code: entry.code ?? null,
        details: entry.details ?? null,
        address: entry.address ?? null,
      }),
    );
  }

  /** The newest entries first, before `before` (an id) when given. */
  async list(limit: number, before?: number): Promise<(AdminAuditEntry & { id: number })[]> {
    const found = await this.database.exclusive(() =>
      this.database.db
        .select()
        .from(hqAdminAudit)
        .where(before === undefined ? undefined : lt(hqAdminAudit.id, before))
        .orderBy(desc(hqAdminAudit.id))
        .limit(limit),
    );
    return found.map((row) => ({
      id: row.id,
      at: row.at,
      actor: row.actor,
      action: row.action,
      target: row.target,
      outcome: row.outcome === 'done' ? 'done' : 'refused',
      code: row.code,
      details: (row.details as Record<string, unknown> | null) ?? null,
      address: row.address,
    }));
  }
}
