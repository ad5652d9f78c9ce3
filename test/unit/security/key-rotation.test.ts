/**
 * Rotating the data keys from the Backups screen: the new key is current at once and kept by the key store,
 * a background job re-encrypts every member's name, phone and ID number, birthday and notes and re-indexes
 * their search terms under it
 * (the counter keeps finding members meanwhile and after), the start and the end are audited, and a job cut
 * short by a restart resumes where it stopped. Real hosts, real key files.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROTATION_SETTING } from '../../../electron/host/key-rotation';
import type { Session } from '../../../electron/host/session';
import type { Terminal } from '../../../electron/host/setup/first-start';
import { createFileKeyWrapper, openKeystore } from '../../../electron/keystore';
import { writeSettings } from '../../support/books';
import {
  call,
  logInFirstAdmin,
  setUpStandalone,
  shutDown,
  startMachine,
  throwawayDir,
} from '../../support/machines';

const MEMBERS = [
  { name: '李小梅', phone: '13912345678', idNumber: '11010519491231002X', notes: '只喝燕麦拿铁' },
  { name: '王大山', phone: '13800000002', idNumber: '110105194912310038' },
  { name: '赵一', phone: '13700000003', idNumber: null },
];

/** A live store with three members, their personal fields encrypted under the first key. */
async function storeWithMembers(): Promise<{ dir: string; terminal: Terminal; admin: Session }> {
  const dir = throwawayDir('pos-rotation-');
  const terminal = await startMachine(dir);
  const admin = await setUpStandalone(terminal);
  for (const member of MEMBERS) {
    await call(terminal, admin, 'members.register', {
      ...member,
      consent: { purpose: '会员服务', version: 'v1' },
    });
  }
  return { dir, terminal, admin };
}

interface KeysStatus {
  currentKeyId: string;
  keyIds: string[];
  running: boolean;
  rotation: { keyId: string; done: number; total: number; finishedAt: number | null } | null;
}

async function untilReencrypted(terminal: Terminal, admin: Session): Promise<KeysStatus> {
  for (let i = 0; i < 500; i += 1) {
    const status = await call<KeysStatus>(terminal, admin, 'backups.keys');
    if (!status.running && status.rotation?.finishedAt != null) return status;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the re-encrypt job never finished');
}

/** The key ids the member registry's rows are under: envelopes and search terms. */
function keysInUse(terminal: Terminal): string[] {
  const db = terminal.host()!.ledger.sqlite;
  const envelopes = db
    .prepare<[], { value: string }>(
      ['name', 'phone', 'id_number', 'birthday', 'notes']
        .map((field) => `SELECT ${field} AS value FROM member_profiles WHERE ${field} IS NOT NULL`)
        .join(' UNION ALL '),
    )
    .all()
    .map((row) => row.value.split(':')[1]!);
  const terms = db
    .prepare<[], { key_id: string }>('SELECT key_id FROM member_blind_index')
    .all()
    .map((row) => row.key_id);
  return [...new Set([...envelopes, ...terms])].sort();
}

async function search(
  terminal: Terminal,
  admin: Session,
  text: string,
  by: 'phone' | 'name' = 'phone',
): Promise<string[]> {
  const found = await call<{ name: string }[]>(terminal, admin, 'members.search', { text, by });
  return found.map((member) => member.name);
}

describe('rotating the data keys', () => {
  it('makes a new key current, re-encrypts every member under it, and keeps search and the audit whole', async () => {
    const { dir, terminal, admin } = await storeWithMembers();
    expect(keysInUse(terminal)).toEqual(['k1']);
    expect(await call(terminal, admin, 'backups.rotateKeys')).toEqual({ keyId: 'k2' });
    const status = await untilReencrypted(terminal, admin);
    expect(status).toMatchObject({
      currentKeyId: 'k2',
      keyIds: ['k1', 'k2'],
      rotation: { keyId: 'k2', done: 3, total: 3 },
    });
    expect(keysInUse(terminal)).toEqual(['k2']);
    expect(await search(terminal, admin, '139')).toEqual(['李小梅']);
    expect(await search(terminal, admin, '小梅', 'name')).toEqual(['李小梅']);
    expect(await search(terminal, admin, '王', 'name')).toEqual(['王大山']);
    const ledger = terminal.host()!.ledger;
    expect(
      ledger.sqlite
        .prepare<[], { action: string }>("SELECT action FROM audit WHERE action LIKE 'keys.%' ORDER BY id")
        .all(),
    ).toEqual([{ action: 'keys.rotate' }, { action: 'keys.reencrypted' }]);
    expect(ledger.verifyAuditChain()).toMatchObject({ ok: true });
    await shutDown(terminal);

    // The key store kept the new key as current: the next start writes with k2 and still reads k1's lines.
    const again = await startMachine(dir);
    const back = await logInFirstAdmin(again);
    expect(await call(again, back, 'backups.keys')).toMatchObject({ currentKeyId: 'k2', running: false });
    expect(await search(again, back, '13800000002')).toEqual(['王大山']);
    expect(await search(again, back, '赵一', 'name')).toEqual(['赵一']);
    expect(again.host()!.ledger.verifyAuditChain()).toMatchObject({ ok: true });
  });

  it('resumes a re-encrypt job that a restart cut short', async () => {
    const { dir, terminal } = await storeWithMembers();
    await shutDown(terminal);
    // As if the terminal stopped right after the rotation: k2 is current, nothing re-encrypted yet.
    const keystore = await openKeystore({
      dir: join(dir, 'keys'),
      wrapper: await createFileKeyWrapper(join(dir, 'keys', 'wrapping.key')),
    });
    expect(await keystore.rotate()).toBe('k2');
    writeSettings(dir, {
      [ROTATION_SETTING]: {
        keyId: 'k2',
        startedAt: Date.now(),
        startedBy: null,
        cursor: '',
        done: 0,
        total: 3,
        finishedAt: null,
      },
    });

    const again = await startMachine(dir);
    const admin = await logInFirstAdmin(again);
    expect(await untilReencrypted(again, admin)).toMatchObject({ rotation: { done: 3, total: 3 } });
    expect(keysInUse(again)).toEqual(['k2']);
    expect(await search(again, admin, '1370000')).toEqual(['赵一']);
    expect(await search(again, admin, '大山', 'name')).toEqual(['王大山']);
  });
});
