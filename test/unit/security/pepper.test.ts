/**
 * PINs and member passwords are keyed with a pepper from the key store before scrypt, so the database file
 * alone does not let anyone check a guess. Hashes written before the pepper keep working and are replaced by
 * peppered ones at the next right answer.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyring, DEMO } from '../../../db';
import { hashPin, pepperFrom, verifyPin } from '../../../db/pin';
import { createHost } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';

const dataDir = mkdtempSync(join(tmpdir(), 'pos-pepper-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const keyring = createKeyring([{ id: 'k1', key: randomBytes(32) }]);

const login = (host: ReturnType<typeof createHost>, staffNo: string, pin: string) =>
  host.api.call(new Session('test'), 'session.login', { staffNo, pin });

const pinHashOf = (host: ReturnType<typeof createHost>, staffId: string) =>
  host.ledger.sqlite.prepare('SELECT pin_hash FROM staff WHERE id = ?').pluck().get(staffId) as string;

describe('the pepper', () => {
  it('is needed to check a peppered hash: the stored hash alone verifies nothing', () => {
    const pepper = pepperFrom(keyring);
    const stored = hashPin('2468', pepper);
    expect(stored).toMatch(/^scrypt-hmac\$k1\$/);
    expect(verifyPin('2468', stored, pepper)).toBe(true);
    expect(verifyPin('2468', stored)).toBe(false);
    expect(verifyPin('2468', stored, pepperFrom(createKeyring([{ id: 'k1', key: randomBytes(32) }])))).toBe(
      false,
    );
  });

  it('upgrades PINs and member passwords hashed before it at the next right answer', async () => {
    // A ledger from before the pepper: demo staff and a member password as plain scrypt.
    const before = createHost({ book: 'demo', dataDir });
    before.members.setPassword({
      memberId: DEMO.members.mifare.id,
      password: '246810',
      staffId: DEMO.staff.cashier.id,
      terminalId: DEMO.terminalId,
    });
    expect(pinHashOf(before, DEMO.staff.cashier.id)).toMatch(/^scrypt\$/);
    await before.close();

    const after = createHost({ book: 'demo', dataDir, keyring });
    expect(await login(after, DEMO.staff.cashier.code, '0000')).toMatchObject({ ok: false });
    expect(pinHashOf(after, DEMO.staff.cashier.id)).toMatch(/^scrypt\$/);
    expect((await login(after, DEMO.staff.cashier.code, DEMO.staff.cashier.pin)).ok).toBe(true);
    expect(pinHashOf(after, DEMO.staff.cashier.id)).toMatch(/^scrypt-hmac\$k1\$/);
    expect((await login(after, DEMO.staff.cashier.code, DEMO.staff.cashier.pin)).ok).toBe(true);

    const passwordHash = () =>
      after.ledger.sqlite
        .prepare('SELECT password_hash FROM member_profiles WHERE member_id = ?')
        .pluck()
        .get(DEMO.members.mifare.id) as string;
    expect(passwordHash()).toMatch(/^scrypt\$/);
    after.members.verifyPassword({ memberId: DEMO.members.mifare.id, password: '246810' });
    expect(passwordHash()).toMatch(/^scrypt-hmac\$k1\$/);
    after.members.verifyPassword({ memberId: DEMO.members.mifare.id, password: '246810' });
    // A new PIN set now is peppered from the start.
    after.ledger.resetStaffPin({
      staffId: DEMO.staff.manager.id,
      pin: '97531',
      byStaffId: DEMO.staff.admin.id,
    });
    expect(pinHashOf(after, DEMO.staff.manager.id)).toMatch(/^scrypt-hmac\$k1\$/);
    await after.close();

    // The same file without the key store: the peppered PINs cannot be checked.
    const copied = createHost({ book: 'demo', dataDir });
    expect(await login(copied, DEMO.staff.cashier.code, DEMO.staff.cashier.pin)).toMatchObject({ ok: false });
    await copied.close();
  });
});
