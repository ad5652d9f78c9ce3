/**
 * Phone and ID numbers at rest: with the terminal's data keys the member registry stores them as AES-GCM
 * envelopes, finds them through the keyed blind index, and never hands them to the ledger's own rows, the
 * outbox to headquarters or the audit log. Real ledger files; the keys are random per test.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyring, type Keyring, type Ledger } from '../../../db';
import { openMemberRegistry } from '../../../db/members/index';
import { cashier, closeAll, DEMO, demoLedger, manager, terminalId } from '../db/support';

afterAll(closeAll);

const CONSENT = { purpose: '会员服务与储值卡管理', version: '2026-01' };
const PHONE = '13712345678';
const ID_NUMBER = '110101199003071233';

const keys = (): Keyring => createKeyring([{ id: 'k1', key: randomBytes(32) }]);

function register(
  registry: ReturnType<typeof openMemberRegistry>,
  id: string,
  phone: string,
  idNumber?: string,
) {
  return registry.register({
    id,
    storeId: DEMO.storeId,
    name: `会员${id}`,
    phone,
    idNumber: idNumber ?? null,
    consent: CONSENT,
    staffId: cashier,
    terminalId,
  });
}

function stored(ledger: Ledger, memberId: string) {
  return ledger.sqlite
    .prepare<[string], { phone: string | null; id_number: string | null }>(
      'SELECT phone, id_number FROM member_profiles WHERE member_id = ?',
    )
    .get(memberId)!;
}

function everyText(ledger: Ledger, table: string): string {
  return JSON.stringify(ledger.sqlite.prepare(`SELECT * FROM ${table}`).all());
}

describe('member phone and ID numbers encrypted at rest', () => {
  it('stores envelopes, shows the clear value only through the registry, and keeps both out of ledger, outbox and audit', () => {
    const { ledger, path } = demoLedger();
    const registry = openMemberRegistry(ledger, { fieldKeys: keys() });
    expect(registry.encrypted).toBe(true);
    register(registry, 'm-enc-1', '137 1234 5678', ID_NUMBER);

    const row = stored(ledger, 'm-enc-1');
    expect(row.phone).toMatch(/^v1:k1:/);
    expect(row.id_number).toMatch(/^v1:k1:/);
    expect(registry.profile('m-enc-1')).toMatchObject({ phone: PHONE, idNumber: ID_NUMBER });
    expect(registry.view('m-enc-1', cashier)).toMatchObject({ phone: '137****5678', masked: true });
    expect(registry.view('m-enc-1', manager)).toMatchObject({ phone: PHONE, idNumber: ID_NUMBER });

    for (const table of ['members', 'member_profiles', 'member_blind_index', 'outbox', 'audit']) {
      const text = everyText(ledger, table);
      expect(text, table).not.toContain(PHONE);
      expect(text, table).not.toContain(ID_NUMBER);
    }
    expect(ledger.findCardByNumber(DEMO.cards.uid.cardNumber)?.member.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    ledger.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const file = readFileSync(path);
    expect(file.includes(Buffer.from(PHONE))).toBe(false);
    expect(file.includes(Buffer.from(ID_NUMBER))).toBe(false);
  });

  it('finds a member by the first 3 or 7 digits or the whole number, masked, and by nothing in between', () => {
    const { ledger } = demoLedger();
    const registry = openMemberRegistry(ledger, { fieldKeys: keys() });
    register(registry, 'm-s-1', '13712345678');
    register(registry, 'm-s-2', '13712349999');
    register(registry, 'm-s-3', '13800001111');

    const ids = (text: string) => registry.searchMembers({ text, by: 'phone' }).map((hit) => hit.memberId);
    expect(ids('137')).toEqual(['m-s-1', 'm-s-2']);
    expect(ids('1371234')).toEqual(['m-s-1', 'm-s-2']);
    expect(ids('137 1234 9999')).toEqual(['m-s-2']);
    expect(ids('+8613800001111')).toEqual(['m-s-3']);
    expect(ids('13712')).toEqual([]);
    expect(registry.searchMembers({ text: '1371234' })[0]).toMatchObject({
      phoneMasked: '137****5678',
      matchedBy: 'phone',
    });
    expect(registry.searchMembers({ text: '137', by: 'phone', limit: 1 })).toHaveLength(1);
  });

  it('keeps one member per phone and per ID number, follows edits and forgets a deleted member', () => {
    const { ledger } = demoLedger();
    const registry = openMemberRegistry(ledger, { fieldKeys: keys() });
    register(registry, 'm-u-1', PHONE, ID_NUMBER);
    expect(() => register(registry, 'm-u-2', PHONE)).toThrow(
      expect.objectContaining({ code: 'PHONE_TAKEN' }),
    );
    expect(() => register(registry, 'm-u-2', '13900000000', ID_NUMBER)).toThrow(
      expect.objectContaining({ code: 'ID_NUMBER_TAKEN' }),
    );

    registry.edit({ memberId: 'm-u-1', changes: { phone: '13900000000' }, staffId: manager, terminalId });
    expect(registry.searchMembers({ text: PHONE, by: 'phone' })).toEqual([]);
    expect(registry.searchMembers({ text: '13900000000', by: 'phone' }).map((h) => h.memberId)).toEqual([
      'm-u-1',
    ]);
    // The old number is free again.
    register(registry, 'm-u-3', PHONE);

    registry.deleteMember({ memberId: 'm-u-1', staffId: manager, terminalId, approvedBy: manager });
    const terms = ledger.sqlite
      .prepare('SELECT count(*) AS n FROM member_blind_index WHERE member_id = ?')
      .get('m-u-1') as { n: number };
    expect(terms.n).toBe(0);
    expect(stored(ledger, 'm-u-1')).toEqual({ phone: null, id_number: null });
    expect(registry.searchMembers({ text: '139', by: 'phone' })).toEqual([]);
  });

  it('encrypts a registry written in clear when it is first opened with keys, and its search keeps working', () => {
    const { ledger } = demoLedger();
    const plain = openMemberRegistry(ledger);
    expect(plain.encrypted).toBe(false);
    register(plain, 'm-old-1', PHONE, ID_NUMBER);
    expect(stored(ledger, 'm-old-1').phone).toBe(PHONE);

    const registry = openMemberRegistry(ledger, { fieldKeys: keys() });
    expect(stored(ledger, 'm-old-1').phone).toMatch(/^v1:k1:/);
    expect(stored(ledger, 'm-old-1').id_number).toMatch(/^v1:k1:/);
    expect(registry.profile('m-old-1')).toMatchObject({ phone: PHONE, idNumber: ID_NUMBER });
    expect(registry.searchMembers({ text: '1371234', by: 'phone' }).map((h) => h.memberId)).toEqual([
      'm-old-1',
    ]);
    // The demo members, created through the ledger alone, are sealed too.
    expect(everyText(ledger, 'members')).not.toMatch(/"phone":"\d{11}"/);
    expect(everyText(ledger, 'member_profiles')).not.toMatch(/"phone":"\d{11}"/);
  });

  it('refuses to show a value moved onto another member, or read with another terminal key', () => {
    const { ledger } = demoLedger();
    const keyring = keys();
    const registry = openMemberRegistry(ledger, { fieldKeys: keyring });
    register(registry, 'm-t-1', PHONE);
    register(registry, 'm-t-2', '13900000000');
    ledger.sqlite
      .prepare('UPDATE member_profiles SET phone = ? WHERE member_id = ?')
      .run(stored(ledger, 'm-t-1').phone, 'm-t-2');
    expect(() => registry.profile('m-t-2')).toThrow(
      expect.objectContaining({ code: 'FIELD_DECRYPT_FAILED' }),
    );

    const stranger = openMemberRegistry(ledger, {
      fieldKeys: createKeyring([{ id: 'k1', key: randomBytes(32) }]),
    });
    expect(() => stranger.profile('m-t-1')).toThrow(
      expect.objectContaining({ code: 'FIELD_DECRYPT_FAILED' }),
    );
  });
});
