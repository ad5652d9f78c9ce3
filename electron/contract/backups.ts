/**
 * Backups from the admin's screen: the folder's encrypted backups, one taken on demand with its progress,
 * and a restore that decrypts into a fresh file and proves it (SQLite's integrity check, the ledger's
 * invariants) before anything is replaced; the verified file takes the live book's place at the next start.
 */
import { z } from 'zod';
import type { CommandDefinition } from './definition';
import { epochMs } from './schemas';

const backupName = z.string().regex(/^ledger-\d{8}T\d{6}(?:\d{3})?Z\.posbak$/, 'must be a backup file name');

export const backupEntry = z.object({ name: z.string(), takenAt: epochMs, bytes: z.number().int().min(0) });

export const backupStatus = z.object({
  running: z.boolean(),
  /** The whole backup's progress, 0..1, while one runs. */
  fraction: z.number().min(0).max(1),
  phase: z.enum(['copy', 'encrypt']).nullable(),
  last: z
    .object({ ok: z.boolean(), name: z.string().nullable(), at: epochMs, code: z.string().nullable() })
    .nullable(),
  backups: z.array(backupEntry),
  /** A verified restore waiting for the next start to take the live book's place. */
  restorePending: z.object({ name: z.string(), takenAt: epochMs }).nullable(),
});

const none = z.object({}).strict();

export const backupCommands = {
  'backups.status': {
    summary: 'The backups on this terminal, the one running (with its progress) and a pending restore',
    access: 'backups.manage',
    input: none,
    output: backupStatus,
  },
  'backups.run': {
    summary: 'Take an encrypted backup now (joins the one running, if any)',
    access: 'backups.manage',
    input: none,
    output: z.object({ started: z.boolean() }),
  },
  'backups.restore': {
    summary: 'Decrypt a backup into a fresh file and verify it; it replaces the live book at the next start',
    access: 'backups.manage',
    input: z.object({ name: backupName }).strict(),
    output: z.object({
      verified: z.literal(true),
      name: z.string(),
      takenAt: epochMs,
      databaseBytes: z.number().int().min(0),
      restartRequired: z.literal(true),
    }),
  },
} satisfies Record<string, CommandDefinition>;
