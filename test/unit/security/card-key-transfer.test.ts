/**
 * A standalone store moves its card keys to its second till: exported on one under a passphrase, imported on
 * the other from the file. The file shows no key; a wrong passphrase or a damaged file changes nothing; a till
 * of a chain (keys from HQ) neither exports nor takes keys by hand. Real hosts, real key stores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cardKeyFingerprint } from '../../../electron/host/card-security';
import { HQ_SETTING } from '../../../electron/host/enrolment/link';
import { openBrowserModeKeys } from '../../../electron/host/keys';
import { type BookUnderTest, openBook, sessionOf } from '../../support/books';

const books: BookUnderTest[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const book of books) await book.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function till(): Promise<BookUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'pos-key-move-'));
  dirs.push(dir);
  const book = await openBook('live', { secrets: (await openBrowserModeKeys(dir)).secrets });
  books.push(book);
  return book;
}

describe('moving a standalone store’s card keys to a second till', () => {
  it('the second till reads with the first till’s keys after the import, and nothing shows them in clear', async () => {
    const first = await till();
    const second = await till();
    const fingerprint = cardKeyFingerprint(first.host.cardSecurity.keys);
    expect(cardKeyFingerprint(second.host.cardSecurity.keys)).not.toBe(fingerprint);
    const adminA = await sessionOf(first.host, 'admin');
    const adminB = await sessionOf(second.host, 'admin');

    const weak = await first.host.api.call(adminA, 'cardKeys.export', { passphrase: 'too-short' });
    expect(weak).toMatchObject({ ok: false });
    const reply = await first.host.api.call(adminA, 'cardKeys.export', { passphrase: '门店第二台 2026 春' });
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    const exported = { value: reply.value as { content: string; fingerprint: string } };
    expect(exported.value.fingerprint).toBe(fingerprint);
    const masterKey = Buffer.from(first.host.cardSecurity.keys.masterKey).toString('base64');
    expect(exported.value.content).not.toContain(masterKey);

    const wrong = await second.host.api.call(adminB, 'cardKeys.import', {
      content: exported.value.content,
      passphrase: 'not the passphrase',
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'CARD_KEYS_PASSPHRASE_WRONG' } });
    expect(cardKeyFingerprint(second.host.cardSecurity.keys)).not.toBe(fingerprint);

    const imported = await second.host.api.call(adminB, 'cardKeys.import', {
      content: exported.value.content,
      passphrase: '门店第二台 2026 春',
    });
    expect(imported).toMatchObject({ ok: true, value: { cardKeyFingerprint: fingerprint } });
    expect(cardKeyFingerprint(second.host.cardSecurity.keys)).toBe(fingerprint);
    const lines = second.host.ledger.auditLog.after(0, 10_000).map((line) => [line.action, line.outcome]);
    expect(lines).toContainEqual(['card_keys.import', 'rejected']);
    expect(lines).toContainEqual(['card_keys.import', 'ok']);
  });

  it('a cashier cannot move keys, and a till of a chain refuses to', async () => {
    const book = await till();
    const cashier = await sessionOf(book.host, 'cashier');
    expect(
      await book.host.api.call(cashier, 'cardKeys.export', { passphrase: 'long enough passphrase' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'COMMAND_FORBIDDEN' },
    });
    book.host.ledger.settings.set(HQ_SETTING, {
      url: 'https://hq.example.com',
      terminalId: 'S01-T1',
      terminalName: 'Till',
      storeId: 'S01',
      localStoreId: 'S01',
      publicKey: 'A'.repeat(43),
      cardKeyFingerprint: '',
      enrolledAt: 1,
    });
    const admin = await sessionOf(book.host, 'admin');
    expect(
      await book.host.api.call(admin, 'cardKeys.export', { passphrase: 'long enough passphrase' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CARD_KEYS_FROM_HQ' },
    });
  });
});
