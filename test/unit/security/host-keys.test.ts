/**
 * The host at start: the launcher opens the data keys (browser mode: the 0600 key file under the data
 * folder) and the host's member registry then keeps phone and ID numbers encrypted; the next start reads them
 * back with the same keys. Real files, a real host.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import { cardKeyFingerprint } from '../../../electron/host/card-security';
import { createHost } from '../../../electron/host/compose';
import { parseCardKeysSecret } from '../../../electron/host/enrolment/card-keys';
import { openBrowserModeKeys } from '../../../electron/host/keys';
import { CARD_KEYS_FILE, openCardKeys } from '../../../electron/keystore/card-keys';
import { SECRET_NAMES, SECRETS_FILE } from '../../../electron/keystore/secrets';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-host-keys-'));
  dirs.push(dir);
  return dir;
}

const profilePhones = (host: ReturnType<typeof createHost>) =>
  host.ledger.sqlite
    .prepare<[], { phone: string | null }>('SELECT phone FROM member_profiles WHERE phone IS NOT NULL')
    .all()
    .map((row) => row.phone);

describe('data keys opened at start', () => {
  it('creates the key files 0600 on first start and stores the demo members encrypted', async () => {
    const dir = dataDir();
    const keys = await openBrowserModeKeys(dir);
    expect(keys.wrapper).toBe('file');
    for (const file of ['data-keys.json', 'wrapping.key']) {
      expect(statSync(join(dir, 'keys', file)).mode & 0o777).toBe(0o600);
    }
    const host = createHost({ book: 'demo', dataDir: dir, keyring: keys.keyring });
    try {
      expect(host.members.encrypted).toBe(true);
      expect(profilePhones(host).length).toBeGreaterThan(0);
      for (const phone of profilePhones(host)) expect(phone).toMatch(/^v1:k1:/);
      const demo = host.ledger.findCardByNumber(DEMO.cards.uid.cardNumber)!;
      expect(demo.member.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      const clear = host.members.profile(demo.memberId)!.phone!;
      expect(clear).toMatch(/^1\d{10}$/);

      await host.close();
      const again = createHost({
        book: 'demo',
        dataDir: dir,
        keyring: (await openBrowserModeKeys(dir)).keyring,
      });
      try {
        expect(again.members.profile(demo.memberId)?.phone).toBe(clear);
        expect(again.members.searchMembers({ text: clear, by: 'phone' })[0]?.memberId).toBe(demo.memberId);
      } finally {
        await again.close();
      }
    } finally {
      await host.close().catch(() => undefined);
    }
  });

  it('refuses to start on a key file others may read, naming the file', async () => {
    const dir = dataDir();
    await openBrowserModeKeys(dir);
    chmodSync(join(dir, 'keys', 'wrapping.key'), 0o644);
    await expect(openBrowserModeKeys(dir)).rejects.toMatchObject({
      code: 'KEYSTORE_FILE_EXPOSED',
      details: { path: join(dir, 'keys', 'wrapping.key') },
    });
  });
});

describe('card keys at start', () => {
  it('wraps a card key file left in clear by an earlier version, removes it, and reads cards with the same keys', async () => {
    const dir = dataDir();
    const plain = openCardKeys(join(dir, 'keys'));
    const before = cardKeyFingerprint(plain.keys);
    expect(existsSync(plain.path)).toBe(true);

    const keys = await openBrowserModeKeys(dir);
    expect(keys.migratedCardKeys).toBe(true);
    expect(existsSync(plain.path)).toBe(false);
    expect(readFileSync(join(dir, 'keys', SECRETS_FILE), 'utf8')).not.toContain(
      plain.keys.masterKey.toString('base64'),
    );
    const host = createHost({ book: 'demo', dataDir: dir, keyring: keys.keyring, secrets: keys.secrets });
    try {
      expect(cardKeyFingerprint(host.cardSecurity.keys)).toBe(before);
    } finally {
      await host.close();
    }
    // The next start finds the wrapped keys and nothing to migrate.
    const again = await openBrowserModeKeys(dir);
    expect(again.migratedCardKeys).toBe(false);
    expect(cardKeyFingerprint(parseCardKeysSecret(again.secrets.get(SECRET_NAMES.cardKeys)!))).toBe(before);
  });

  it('gives a new till card keys of its own, wrapped, never a plain file', async () => {
    const dir = dataDir();
    const keys = await openBrowserModeKeys(dir);
    expect(keys.migratedCardKeys).toBe(false);
    expect(existsSync(join(dir, 'keys', CARD_KEYS_FILE))).toBe(false);
    expect(statSync(join(dir, 'keys', SECRETS_FILE)).mode & 0o777).toBe(0o600);
    expect(keys.secrets.get(SECRET_NAMES.cardKeys)).toBeDefined();
  });
});
