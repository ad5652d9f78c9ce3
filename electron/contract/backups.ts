/**
 * Backups from the admin's screen: the folder's encrypted backups, one taken on demand with its progress,
 * and a restore that decrypts into a fresh file and proves it (SQLite's integrity check, the ledger's
 * invariants) before anything is replaced; the verified file takes the place of the book in use at the next
 * start.
 */
import { z } from 'zod';
import type { CommandDefinition } from './definition';
import { epochMs } from './schemas';

const backupName = z.string().regex(/^ledger-\d{8}T\d{6}(?:\d{3})?Z\.posbak$/, 'must be a backup file name');

export const backupEntry = z.object({ name: z.string(), takenAt: epochMs, bytes: z.number().int().min(0) });

/** The store's plan: every how many hours, kept how many days, copied to which folder off the machine. */
export const backupPlan = z.object({
  everyHours: z.number().int().min(1).max(168),
  keepDays: z.number().int().min(1).max(3650),
  offsiteDir: z.string().max(500).nullable(),
});

export const backupStatus = z.object({
  running: z.boolean(),
  /** The whole backup's progress, 0..1, while one runs. */
  fraction: z.number().min(0).max(1),
  phase: z.enum(['copy', 'encrypt']).nullable(),
  last: z
    .object({
      ok: z.boolean(),
      name: z.string().nullable(),
      at: epochMs,
      code: z.string().nullable(),
      /** The copy to the folder off this machine; null when none is chosen. */
      offsite: z.object({ ok: z.boolean(), code: z.string().nullable() }).nullable(),
    })
    .nullable(),
  backups: z.array(backupEntry),
  /** A verified restore waiting for the next start to take the place of the book in use. */
  restorePending: z.object({ name: z.string(), takenAt: epochMs }).nullable(),
  plan: backupPlan,
  /** When the schedule takes the next backup; null when this terminal cannot back up (no data keys). */
  nextDueAt: epochMs.nullable(),
  /** Whether a backup recovery code was issued (the keys are escrowed beside the backups). */
  escrowIssued: z.boolean(),
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
    summary:
      'Decrypt a backup into a fresh file and verify it; it replaces the book in use at the next start',
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
  'backups.configure': {
    summary: 'Set the backup plan: how often, how many days kept, and the folder off this machine for copies',
    access: 'backups.manage',
    input: backupPlan.strict(),
    output: backupPlan,
  },
  'backups.issueRecoveryCode': {
    summary:
      'Issue the backup recovery code (shown once): the data keys are sealed under it beside every backup',
    access: 'backups.manage',
    input: none,
    output: z.object({ code: z.string() }),
  },
  'backups.keys': {
    summary: 'The data keys held (ids only) and the re-encrypt job of the last rotation, with its progress',
    access: 'backups.manage',
    input: none,
    output: z.object({
      currentKeyId: z.string().nullable(),
      keyIds: z.array(z.string()),
      running: z.boolean(),
      rotation: z
        .object({
          keyId: z.string(),
          startedAt: epochMs,
          done: z.number().int().min(0),
          total: z.number().int().min(0),
          finishedAt: epochMs.nullable(),
        })
        .nullable(),
    }),
  },
  'backups.rotateKeys': {
    summary:
      'Rotate the data keys: a new key becomes current and member phone and ID numbers are re-encrypted in the background',
    access: 'backups.manage',
    input: none,
    output: z.object({ keyId: z.string() }),
  },
} satisfies Record<string, CommandDefinition>;
