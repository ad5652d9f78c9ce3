/**
 * Member names, birthdays and notes at rest: with the terminal's data keys they are AES-GCM envelopes like
 * phone and ID numbers, the ledger's own row and its outbox line keep only the masked name, and the counter
 * still finds members by name the way it did in clear (prefix first, then any piece of the name), through
 * keyed blind-index terms. A registry written in clear is encrypted when it is opened with keys, page by page,
 * and after that the ledger file holds none of those values in clear. Real ledger files; random keys.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createBlindIndex,
  createKeyring,
  type DataKey,
  type Keyring,
  type Ledger,
  openLedger,
  switchableKeyring,
} from '../../../db';
import { openMemberRegistry } from '../../../db/members/index';
import { personalFields } from '../../../db/members/protect';
import { cashier, closeAll, DEMO, demoLedger, manager, terminalId } from '../db/support';

afterAll(closeAll);

const CONSENT = { purpose: '会员服务与储值卡管理', version: '2026-01' };
const k1: DataKey = { id: 'k1', key: randomBytes(32) };
const keys = (): Keyring => createKeyring([k1]);

/**
 * Names a Chinese counter meets (one- and two-character surnames) and two Latin ones sharing a prefix; none of
 * them is a demo staff member's (staff names are not personal data of members and stay readable).
 */
const PEOPLE = [
  { id: 'm-n-1', name: '王晓明', phone: '13700000001', birthday: '1990-03-07', notes: '对坚果过敏' },
  { id: 'm-n-2', name: '王晓红', phone: '13700000002', birthday: null, notes: null },
  { id: 'm-n-3', name: '李明', phone: '13700000003', birthday: '1985-12-01', notes: '周末来' },
  { id: 'm-n-4', name: '欧阳娜娜', phone: '13700000004', birthday: null, notes: null },
  {
    id: 'm-n-5',
    name: 'Alexander Hamilton',
    phone: '13700000005',
    birthday: null,
    notes: 'prefers oat milk',
  },
  { id: 'm-n-6', name: 'Alex Smith', phone: '13700000006', birthday: null, notes: null },
];

type Registry = ReturnType<typeof openMemberRegistry>;

function registerAll(registry: Registry): void {
  for (const person of PEOPLE) {
    registry.register({ ...person, storeId: DEMO.storeId, consent: CONSENT, staffId: cashier, terminalId });
  }
}

function profileColumns(ledger: Ledger, memberId: string) {
  return ledger.sqlite
    .prepare<[string], { name: string; birthday: string | null; notes: string | null }>(
      'SELECT name, birthday, notes FROM member_profiles WHERE member_id = ?',
    )
    .get(memberId)!;
}

/** The ledger file's bytes once every committed page is in it (the WAL checkpointed into the file). */
function fileBytes(ledger: Ledger, path: string): Buffer {
  ledger.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return readFileSync(path);
}

/** Every name, birthday and note of PEOPLE that can be found in the bytes, in UTF-8. */
function clearValuesIn(bytes: Buffer): string[] {
  const values = PEOPLE.flatMap((p) => [p.name, p.birthday, p.notes]).filter((v): v is string => v !== null);
  return values.filter((value) => bytes.includes(Buffer.from(value, 'utf8')));
}

const QUERIES = [
  '王',
  '王晓',
  '王晓明',
  '晓明',
  '明',
  '欧阳',
  '娜娜',
  'alex',
  'ALEXANDER HAM',
  'ham',
  'x s',
  '张',
];

describe('member names, birthdays and notes encrypted at rest', () => {
  it('stores envelopes, keeps the mask in the ledger row and its outbox line, and shows the clear values through the registry', () => {
    const { ledger, path } = demoLedger();
    const registry = openMemberRegistry(ledger, { fieldKeys: keys() });
    registerAll(registry);

    const row = profileColumns(ledger, 'm-n-1');
    expect(row.name).toMatch(/^v1:k1:/);
    expect(row.birthday).toMatch(/^v1:k1:/);
    expect(row.notes).toMatch(/^v1:k1:/);
    expect(registry.profile('m-n-1')).toMatchObject({
      name: '王晓明',
      birthday: '1990-03-07',
      notes: '对坚果过敏',
    });
    expect(registry.view('m-n-1', cashier)).toMatchObject({ name: '王晓明', birthday: '1990-03-07' });
    expect(registry.nameOf('m-n-4')).toBe('欧阳娜娜');
    expect(ledger.member('m-n-1')?.name).toBe('王**');
    expect(ledger.member('m-n-5')?.name).toBe(`A${'*'.repeat(17)}`);
    const created = ledger.outbox.pending(1_000).filter((line) => line.kind === 'member_created');
    expect(created.map((line) => (line.payload as { member: { name: string } }).member.name)).toContain(
      '王**',
    );
    expect(
      ledger.sqlite.prepare("SELECT count(*) AS n FROM member_name_grams WHERE member_id LIKE 'm-n-%'").get(),
    ).toEqual({ n: 0 });

    expect(clearValuesIn(fileBytes(ledger, path))).toEqual([]);
  });

  it('finds members by name as the clear registry does: a prefix first, then any piece, case folded', () => {
    const plain = openMemberRegistry(demoLedger().ledger);
    const sealed = openMemberRegistry(demoLedger().ledger, { fieldKeys: keys() });
    registerAll(plain);
    registerAll(sealed);
    const names = (registry: Registry, text: string) =>
      registry.searchMembers({ text, by: 'name' }).map((hit) => hit.name);

    // The same members for every query; a prefix now also matches whatever the case ("alex" lists
    // "Alex Smith" among the prefix hits, before the names that merely hold it).
    for (const text of QUERIES) {
      expect(names(sealed, text).sort(), text).toEqual(names(plain, text).sort());
    }
    expect(names(sealed, '王')).toEqual(['王晓明', '王晓红']);
    expect(names(sealed, '明')).toEqual(['王晓明', '李明']);
    // Longer than the indexed prefix: found by its first six characters and confirmed by decrypting.
    expect(names(sealed, 'ALEXANDER HAM')).toEqual(['Alexander Hamilton']);
    expect(names(sealed, 'alex')).toEqual(['Alex Smith', 'Alexander Hamilton']);
    // Text that is not a phone or card number searches names; the hit shows the phone masked.
    expect(sealed.searchMembers({ text: '欧阳娜娜' })[0]).toMatchObject({
      memberId: 'm-n-4',
      phoneMasked: '137****0004',
      matchedBy: 'name',
    });
    expect(sealed.searchMembers({ text: '王', by: 'name', limit: 1 })).toHaveLength(1);
  });

  it('follows a change of name, forgets a deleted member, and lists clear names on the member list', () => {
    const { ledger } = demoLedger();
    const registry = openMemberRegistry(ledger, { fieldKeys: keys() });
    registerAll(registry);
    registry.edit({ memberId: 'm-n-2', changes: { name: '王晓虹' }, staffId: manager, terminalId });
    const names = (text: string) => registry.searchMembers({ text, by: 'name' }).map((hit) => hit.name);
    expect(names('晓红')).toEqual([]);
    expect(names('晓虹')).toEqual(['王晓虹']);
    expect(ledger.member('m-n-2')?.name).toBe('王**');

    registry.deleteMember({ memberId: 'm-n-3', staffId: manager, terminalId, approvedBy: manager });
    expect(names('李明')).toEqual([]);
    expect(registry.profile('m-n-3')).toMatchObject({ name: '已注销会员', birthday: null, notes: null });

    const listed = registry.listMembers({ at: Date.now(), limit: 100 }).rows.map((row) => row.name);
    expect(listed).toEqual(expect.arrayContaining(['王晓明', '王晓虹', '欧阳娜娜', 'Alexander Hamilton']));
    expect(listed.some((name) => name.startsWith('v1:'))).toBe(false);
  });

  it('finds members by name halfway through a key rotation, and every field ends under the new key', () => {
    const { ledger } = demoLedger();
    const keyring = switchableKeyring(keys());
    const registry = openMemberRegistry(ledger, { fieldKeys: keyring });
    registerAll(registry);
    keyring.replace(createKeyring([k1, { id: 'k2', key: randomBytes(32) }]));

    const page = registry.rotateFieldKeys('', 3, () => undefined);
    expect(page.rotated).toBeGreaterThan(0);
    const names = (text: string) => registry.searchMembers({ text, by: 'name' }).map((hit) => hit.name);
    expect(names('王')).toEqual(['王晓明', '王晓红']);
    expect(names('alex')).toEqual(['Alex Smith', 'Alexander Hamilton']);

    let after: string | null = page.last;
    while (after !== null) after = registry.rotateFieldKeys(after, 3, () => undefined).last;
    const keyIds = ledger.sqlite
      .prepare<[], { k: string }>(
        `SELECT substr(value, 4, 2) AS k FROM (
           SELECT name AS value FROM member_profiles UNION ALL SELECT birthday FROM member_profiles
           UNION ALL SELECT notes FROM member_profiles) WHERE value IS NOT NULL
         UNION SELECT key_id FROM member_blind_index`,
      )
      .all()
      .map((row) => row.k);
    expect([...new Set(keyIds)]).toEqual(['k2']);
    expect(names('欧阳')).toEqual(['欧阳娜娜']);
    expect(registry.profile('m-n-1')).toMatchObject({ name: '王晓明', notes: '对坚果过敏' });
  });
});

describe('a registry written in clear, opened with keys', () => {
  it('is encrypted in place: clear columns emptied, old outbox lines masked, no value left in the file', () => {
    const { ledger, path } = demoLedger();
    const plain = openMemberRegistry(ledger);
    registerAll(plain);
    // As a registry written before secure_delete: a renamed member's old name stays in the pages' free space.
    ledger.sqlite.pragma('secure_delete = OFF');
    plain.edit({ memberId: 'm-n-6', changes: { name: 'Alexandra Smith' }, staffId: manager, terminalId });
    expect(profileColumns(ledger, 'm-n-1').name).toBe('王晓明');
    expect(JSON.stringify(ledger.sqlite.prepare('SELECT * FROM member_profiles').all())).not.toContain(
      'Alex Smith',
    );
    const before = fileBytes(ledger, path);
    expect(clearValuesIn(before)).toContain('Alex Smith');
    ledger.close();

    // The terminal starts again on the same file, now with its keys.
    const reopened = openLedger({ path, checkpointIntervalMs: 0 });
    try {
      const registry = openMemberRegistry(reopened, { fieldKeys: keys() });
      const columns = reopened.sqlite
        .prepare<[], { name: string; birthday: string | null; notes: string | null }>(
          'SELECT name, birthday, notes FROM member_profiles',
        )
        .all();
      for (const row of columns) {
        expect(row.name).toMatch(/^v1:k1:/);
        if (row.birthday !== null) expect(row.birthday).toMatch(/^v1:k1:/);
        if (row.notes !== null) expect(row.notes).toMatch(/^v1:k1:/);
      }
      expect(reopened.sqlite.prepare('SELECT count(*) AS n FROM member_name_grams').get()).toEqual({ n: 0 });
      expect(reopened.member('m-n-4')?.name).toBe('欧***');
      expect(JSON.stringify(reopened.outbox.pending(1_000))).not.toContain('王晓明');
      expect(registry.searchMembers({ text: '晓明', by: 'name' }).map((hit) => hit.memberId)).toEqual([
        'm-n-1',
      ]);
      expect(registry.profile('m-n-3')).toMatchObject({
        name: '李明',
        birthday: '1985-12-01',
        notes: '周末来',
      });
      // The demo café's members, created through the ledger alone, are sealed and found too.
      const demoName = registry.nameOf(DEMO.members.uid.id);
      expect(demoName).toBe(DEMO.members.uid.name);
      expect(registry.searchMembers({ text: demoName!, by: 'name' })[0]?.memberId).toBe(DEMO.members.uid.id);
      expect(reopened.checkInvariants().ok).toBe(true);
      expect(reopened.verifyAuditChain().ok).toBe(true);
    } finally {
      reopened.close();
    }
    expect(clearValuesIn(readFileSync(path))).toEqual([]);
    expect(readFileSync(path).includes(Buffer.from(DEMO.members.uid.name, 'utf8'))).toBe(false);
  });

  it('upgrades a registry whose phone and ID numbers were already sealed, keeping those envelopes', () => {
    const { ledger } = demoLedger();
    const keyring = keys();
    registerAll(openMemberRegistry(ledger, { fieldKeys: keyring }));
    // As the version before this one left a registry: names, birthdays and notes in clear, no name terms.
    const index = createBlindIndex(keyring);
    for (const person of PEOPLE) {
      ledger.sqlite
        .prepare('UPDATE member_profiles SET name = ?, birthday = ?, notes = ? WHERE member_id = ?')
        .run(person.name, person.birthday, person.notes, person.id);
      ledger.sqlite.prepare('UPDATE members SET name = ? WHERE id = ?').run(person.name, person.id);
      for (const term of index.nameTerms(person.name)) {
        ledger.sqlite
          .prepare('DELETE FROM member_blind_index WHERE token = ? AND member_id = ?')
          .run(term.token, person.id);
      }
    }
    const phones = () =>
      ledger.sqlite.prepare("SELECT phone FROM member_profiles WHERE member_id LIKE 'm-n-%'").all();
    const sealedPhones = phones();

    const registry = openMemberRegistry(ledger, { fieldKeys: keyring });
    expect(phones()).toEqual(sealedPhones);
    expect(profileColumns(ledger, 'm-n-1').notes).toMatch(/^v1:k1:/);
    expect(ledger.member('m-n-1')?.name).toBe('王**');
    expect(registry.searchMembers({ text: '欧阳', by: 'name' }).map((hit) => hit.memberId)).toEqual([
      'm-n-4',
    ]);
    expect(registry.searchMembers({ text: '1370000', by: 'phone' })).toHaveLength(PEOPLE.length);
  });

  it('goes on where a pass cut short stopped, and leaves sealed rows as they are when run again', () => {
    const { ledger } = demoLedger();
    registerAll(openMemberRegistry(ledger));
    // A pass that committed one page and stopped (a power cut): one member sealed, the others still clear.
    const cut = personalFields(ledger.sqlite, keys());
    const first = ledger.sqlite.transaction(() => cut.sealPlainPage('', 1)).immediate();
    expect(first.sealed).toBe(1);
    const sealedFirst = profileColumns(ledger, first.last!);
    expect(sealedFirst.name).toMatch(/^v1:k1:/);

    const registry = openMemberRegistry(ledger, { fieldKeys: keys() });
    expect(profileColumns(ledger, first.last!)).toEqual(sealedFirst);
    for (const person of PEOPLE) expect(profileColumns(ledger, person.id).name).toMatch(/^v1:k1:/);
    const before = ledger.sqlite.prepare('SELECT * FROM member_profiles ORDER BY member_id').all();
    openMemberRegistry(ledger, { fieldKeys: keys() });
    expect(ledger.sqlite.prepare('SELECT * FROM member_profiles ORDER BY member_id').all()).toEqual(before);
    expect(registry.searchMembers({ text: '娜娜', by: 'name' }).map((hit) => hit.memberId)).toEqual([
      'm-n-4',
    ]);
  });
});
