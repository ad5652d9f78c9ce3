/**
 * The member-card format panel through the host's API: technicians and admins read the chain id, sector,
 * purse and key fingerprint (never the keys); they set the sector and the purse within the 1K card's
 * sectors; only an admin changes the chain id, and only once they confirm what it does to issued cards.
 * Each change is a `settings.change` audit line with the old and new value; a refusal is a rejected line.
 * A saved change is used from the next start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO } from '../../../db';
import {
  CARD_SECURITY_SETTING,
  cardKeyFingerprint,
  DEMO_CARD_SECURITY,
} from '../../../electron/host/card-security';
import { createHost, type Host } from '../../../electron/host/compose';
import { Session } from '../../../electron/host/session';

let dataDir: string;
let host: Host;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-card-format-'));
  host = createHost({ book: 'demo', dataDir });
});

afterEach(async () => {
  await host.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function loggedIn(role: keyof typeof DEMO.staff): Promise<Session> {
  const session = new Session('test');
  const staff = DEMO.staff[role];
  const reply = await host.api.call(session, 'session.login', { staffNo: staff.code, pin: staff.pin });
  expect(reply.ok).toBe(true);
  return session;
}

function settingsChanges() {
  return host.ledger.sqlite
    .prepare<[], { outcome: string; code: string | null; staff_id: string | null; details: string | null }>(
      "SELECT outcome, code, staff_id, details FROM audit WHERE action = 'settings.change' ORDER BY id",
    )
    .all()
    .map((row) => ({ ...row, details: row.details === null ? null : JSON.parse(row.details) }));
}

const saved = () => host.ledger.settings.get(CARD_SECURITY_SETTING);

describe('the member-card format through the API', () => {
  it('shows a technician the format in use and a fingerprint of the keys, never the keys', async () => {
    const technician = await loggedIn('technician');
    const reply = await host.api.call(technician, 'cardFormat.get', {});
    expect(reply).toEqual({
      ok: true,
      value: {
        inUse: DEMO_CARD_SECURITY,
        saved: DEMO_CARD_SECURITY,
        restartRequired: false,
        keyFingerprint: cardKeyFingerprint(host.cardSecurity.keys),
      },
    });
    const fingerprint = reply.ok ? (reply.value as { keyFingerprint: string }).keyFingerprint : '';
    expect(fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){3}$/);
    const text = JSON.stringify(reply).toUpperCase().replaceAll(' ', '');
    for (const key of [host.cardSecurity.keys.masterKey, host.cardSecurity.keys.chainSecret]) {
      expect(text).not.toContain(Buffer.from(key).toString('hex').toUpperCase().slice(0, 16));
      expect(JSON.stringify(reply)).not.toContain(Buffer.from(key).toString('base64'));
    }
  });

  it('saves a sector and purse change for the next start, with one audit line naming old and new', async () => {
    const technician = await loggedIn('technician');
    const reply = await host.api.call(technician, 'cardFormat.set', { sector: 3, purse: true });
    const next = { ...DEMO_CARD_SECURITY, sector: 3, purse: true };
    expect(reply).toMatchObject({
      ok: true,
      value: { inUse: DEMO_CARD_SECURITY, saved: next, restartRequired: true },
    });
    expect(saved()).toEqual(next);
    expect(settingsChanges()).toEqual([
      {
        outcome: 'ok',
        code: null,
        staff_id: DEMO.staff.technician.id,
        details: { key: CARD_SECURITY_SETTING, from: DEMO_CARD_SECURITY, to: next },
      },
    ]);

    // The same values again change nothing and leave no line.
    expect((await host.api.call(technician, 'cardFormat.set', { sector: 3 })).ok).toBe(true);
    expect(settingsChanges()).toHaveLength(1);

    // The readers keep the format they started with until the terminal restarts.
    expect(host.cardSecurity).toMatchObject(DEMO_CARD_SECURITY);
    await host.close();
    host = createHost({ book: 'demo', dataDir });
    expect(host.cardSecurity).toMatchObject(next);
    expect(await host.api.call(await loggedIn('technician'), 'cardFormat.get', {})).toMatchObject({
      ok: true,
      value: { inUse: next, saved: next, restartRequired: false },
    });
  });

  it('refuses sector 0 and sectors a 1K card does not have at the boundary, changing nothing', async () => {
    const technician = await loggedIn('technician');
    for (const input of [{ sector: 0 }, { sector: 16 }, { sector: 31 }, { sector: 2.5 }, {}]) {
      expect(await host.api.call(technician, 'cardFormat.set', input), JSON.stringify(input)).toMatchObject({
        ok: false,
        error: { code: 'INPUT_INVALID' },
      });
    }
    expect(saved()).toEqual(DEMO_CARD_SECURITY);
    expect(settingsChanges()).toEqual([]);
  });

  it('lets neither cashiers nor managers see or change the format, nor a technician the chain id', async () => {
    for (const role of ['cashier', 'manager'] as const) {
      const session = await loggedIn(role);
      for (const [command, input] of [
        ['cardFormat.get', {}],
        ['cardFormat.set', { sector: 2 }],
      ] as const) {
        expect(await host.api.call(session, command, input)).toMatchObject({
          ok: false,
          error: { code: 'COMMAND_FORBIDDEN', details: { role, permission: 'cards.format' } },
        });
      }
    }
    const technician = await loggedIn('technician');
    expect(
      await host.api.call(technician, 'cardFormat.setChain', { chainId: 42, confirmForeignCards: true }),
    ).toMatchObject({
      ok: false,
      error: { code: 'COMMAND_FORBIDDEN', details: { role: 'technician', permission: 'cards.chain' } },
    });
    expect(saved()).toEqual(DEMO_CARD_SECURITY);
    expect(settingsChanges()).toEqual([]);
  });

  it('changes the chain id only for an admin who confirmed, and audits the refusal too', async () => {
    const admin = await loggedIn('admin');
    expect(
      await host.api.call(admin, 'cardFormat.setChain', { chainId: 42, confirmForeignCards: false }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'CARD_CHAIN_CONFIRMATION_REQUIRED',
        details: { from: DEMO_CARD_SECURITY.chainId, to: 42 },
      },
    });
    expect(saved()).toEqual(DEMO_CARD_SECURITY);
    expect(settingsChanges()).toEqual([
      expect.objectContaining({
        outcome: 'rejected',
        code: 'CARD_CHAIN_CONFIRMATION_REQUIRED',
        staff_id: DEMO.staff.admin.id,
      }),
    ]);

    const reply = await host.api.call(admin, 'cardFormat.setChain', {
      chainId: 42,
      confirmForeignCards: true,
    });
    expect(reply).toMatchObject({
      ok: true,
      value: { saved: { ...DEMO_CARD_SECURITY, chainId: 42 }, restartRequired: true },
    });
    expect(settingsChanges().at(-1)).toEqual({
      outcome: 'ok',
      code: null,
      staff_id: DEMO.staff.admin.id,
      details: {
        key: CARD_SECURITY_SETTING,
        from: DEMO_CARD_SECURITY,
        to: { ...DEMO_CARD_SECURITY, chainId: 42 },
      },
    });
    expect(
      await host.api.call(admin, 'cardFormat.setChain', { chainId: 0, confirmForeignCards: true }),
    ).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
  });
});
