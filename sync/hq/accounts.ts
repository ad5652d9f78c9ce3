/**
 * HQ's own users: who may sign in to the managers' page and the admin routes, with which role, and their
 * sessions. Passwords are hashed with scrypt (slow on purpose, salted); sessions and script tokens are random
 * secrets of which HQ keeps only the SHA-256, each with an expiry. Nothing here trusts where a request came from.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { SyncError } from '../errors';
import type { HqDatabase } from './database';
import { hqSessions, hqUsers } from './schema';

export const HQ_ROLES = ['chain_admin', 'finance', 'support'] as const;
export type HqRole = (typeof HQ_ROLES)[number];

export interface HqPrincipal {
  username: string;
  role: HqRole;
}

/** A browser session lasts a working day; a script's token as long as it was issued for. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
export const DEFAULT_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const MIN_PASSWORD_LENGTH = 12;

/** scrypt cost: 2^15 × 8 × 128 bytes = 32 MiB and tens of milliseconds per guess. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

function scryptHash(password: string, salt: Buffer, cost: { N: number; r: number; p: number }) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      SCRYPT.keyLength,
      { ...cost, maxmem: 256 * cost.N * cost.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptHash(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptHash(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Spent on a sign-in for an unknown user, so the answer takes as long as for a known one. */
let decoyHash: Promise<string> | undefined;

export class HqAccounts {
  constructor(private readonly database: HqDatabase) {}

  private get db() {
    return this.database.db;
  }

  async addUser(input: { username: string; role: string; password: string; now: number }): Promise<void> {
    if (!USERNAME.test(input.username)) {
      throw new SyncError(
        'USERNAME_INVALID',
        'A username is 2-64 lower-case letters, digits, dots, dashes or underscores.',
      );
    }
    const role = checkRole(input.role);
    checkPassword(input.password);
    const passwordHash = await hashPassword(input.password);
    const added = await this.database.exclusive(() =>
      this.db
        .insert(hqUsers)
        .values({ username: input.username, role, passwordHash, createdAt: input.now })
        .onConflictDoNothing()
        .returning({ username: hqUsers.username }),
    );
    if (added.length === 0) {
      throw new SyncError('USER_EXISTS', 'An HQ user with this name exists already.', {
        details: { username: input.username },
      });
    }
  }

  /** A new password ends every session and token the user had. */
  async setPassword(username: string, password: string, now: number): Promise<void> {
    checkPassword(password);
    await this.changeUser(username, { passwordHash: await hashPassword(password) }, now);
  }

  /** A disabled user cannot sign in, and their sessions and tokens stop at once. */
  async disableUser(username: string, now: number): Promise<void> {
    await this.changeUser(username, { disabledAt: now }, now);
  }

  /** Changes a user and ends every session and token they had, in one transaction. */
  private async changeUser(
    username: string,
    change: { passwordHash?: string; disabledAt?: number },
    now: number,
  ): Promise<void> {
    await this.database.exclusive(() =>
      this.db.transaction(async (tx) => {
        const done = await tx
          .update(hqUsers)
          .set(change)
          .where(eq(hqUsers.username, username))
          .returning({ username: hqUsers.username });
        if (done.length === 0) throw unknownUser(username);
        await tx
          .update(hqSessions)
          .set({ revokedAt: now })
          .where(and(eq(hqSessions.username, username), isNull(hqSessions.revokedAt)));
      }),
    );
  }

  async users(): Promise<{ username: string; role: string; createdAt: number; disabledAt: number | null }[]> {
    return this.database.exclusive(() =>
      this.db
        .select({
          username: hqUsers.username,
          role: hqUsers.role,
          createdAt: hqUsers.createdAt,
          disabledAt: hqUsers.disabledAt,
        })
        .from(hqUsers)
        .orderBy(hqUsers.username),
    );
  }

  /** Checks a password; returns a new session's secret, or throws LOGIN_FAILED whatever was wrong. */
  async signIn(
    username: string,
    password: string,
    now: number,
  ): Promise<{ token: string; principal: HqPrincipal; expiresAt: number }> {
    const [user] = await this.database.exclusive(() =>
      this.db.select().from(hqUsers).where(eq(hqUsers.username, username)),
    );
    if (!user) {
      decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
      await passwordMatches(password, await decoyHash);
      throw loginFailed();
    }
    if (!(await passwordMatches(password, user.passwordHash)) || user.disabledAt !== null)
      throw loginFailed();
    const issued = await this.issue(user.username, 'session', now, SESSION_TTL_MS);
    return { ...issued, principal: { username: user.username, role: checkRole(user.role) } };
  }

  /** A bearer token for a script (`npm run hq -- token <user>`). */
  async issueToken(
    username: string,
    now: number,
    ttlMs = DEFAULT_TOKEN_TTL_MS,
  ): Promise<{ token: string; expiresAt: number }> {
    const [user] = await this.database.exclusive(() =>
      this.db.select().from(hqUsers).where(eq(hqUsers.username, username)),
    );
    if (!user || user.disabledAt !== null) throw unknownUser(username);
    return this.issue(username, 'token', now, ttlMs);
  }

  private async issue(
    username: string,
    kind: 'session' | 'token',
    now: number,
    ttlMs: number,
  ): Promise<{ token: string; expiresAt: number }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + ttlMs;
    await this.database.exclusive(() =>
      this.db
        .insert(hqSessions)
        .values({ tokenHash: tokenHash(token), username, kind, createdAt: now, expiresAt }),
    );
    return { token, expiresAt };
  }

  /** The user behind a live session or token, or undefined. */
  async authenticate(token: string, now: number): Promise<HqPrincipal | undefined> {
    if (token.length < 20 || token.length > 200) return undefined;
    const [row] = await this.database.exclusive(() =>
      this.db
        .select({ username: hqUsers.username, role: hqUsers.role })
        .from(hqSessions)
        .innerJoin(hqUsers, eq(hqUsers.username, hqSessions.username))
        .where(
          and(
            eq(hqSessions.tokenHash, tokenHash(token)),
            gt(hqSessions.expiresAt, now),
            isNull(hqSessions.revokedAt),
            isNull(hqUsers.disabledAt),
          ),
        ),
    );
    return row ? { username: row.username, role: checkRole(row.role) } : undefined;
  }

  async signOut(token: string, now: number): Promise<void> {
    await this.database.exclusive(() =>
      this.db
        .update(hqSessions)
        .set({ revokedAt: now })
        .where(and(eq(hqSessions.tokenHash, tokenHash(token)), isNull(hqSessions.revokedAt))),
    );
  }
}

export function checkRole(role: string): HqRole {
  if ((HQ_ROLES as readonly string[]).includes(role)) return role as HqRole;
  throw new SyncError('ROLE_INVALID', `An HQ role is one of ${HQ_ROLES.join(', ')}.`, { details: { role } });
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > 1024) {
    throw new SyncError('PASSWORD_TOO_SHORT', `A password has at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
}

function unknownUser(username: string): SyncError {
  return new SyncError('USER_UNKNOWN', 'No HQ user has this name.', { details: { username } });
}

function loginFailed(): SyncError {
  return new SyncError('LOGIN_FAILED', 'The username or password is wrong.');
}
