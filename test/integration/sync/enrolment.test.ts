/**
 * Enrolment end to end, on HQ over PGlite and over a real PostgreSQL: HQ makes a store, a terminal and a
 * one-time code; a till exchanges it (its own Ed25519 key, the chain's card keys sealed to it) and writes the
 * answer into a fresh book; the host then signs every request and sync runs. Every bad case writes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ledger, openLedger } from '../../../db';
import { createHost, type Host, LEDGER_FILE } from '../../../electron/host/compose';
import { applyEnrolment, exchangeEnrolmentCode } from '../../../electron/host/enrolment/join';
import { HQ_SETTING, readHqLink } from '../../../electron/host/enrolment/link';
import { openBrowserModeKeys } from '../../../electron/host/keys';
import { SECRET_NAMES } from '../../../electron/keystore/secrets';
import {
  directSession,
  fromHex,
  InProcessCardTransport,
  issueSecuredClassic,
  ReaderManager,
  VirtualClassicCard,
} from '../../../hardware/index';
import type { RunningHqServer } from '../../../sync/hq';
import { type Engine, expectExactlyOnceInOrder, type HqUnderTest, openHq, serve, until } from './fixtures';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-enrol-'));
  dirs.push(dir);
  return dir;
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
  throw new Error('expected a refusal');
}

/** The technician's path on a fresh till: the code exchanged, the answer written, the host started. */
async function enrolFreshTill(hqUrl: string, code: string): Promise<{ host: Host; dir: string }> {
  const dir = dataDir();
  const keys = await openBrowserModeKeys(dir);
  const answer = await exchangeEnrolmentCode({ hqUrl, code });
  const ledger = openLedger({ path: join(dir, LEDGER_FILE), checkpointIntervalMs: 0 });
  await applyEnrolment({ ledger, secrets: keys.secrets, answer });
  ledger.close();
  return { host: createHost({ dataDir: dir, secrets: keys.secrets }), dir };
}

/** A standalone store's book as the setup screen leaves it: its own store, till and admin, no HQ link. */
function standaloneBook(dir: string): Ledger {
  const ledger = openLedger({ path: join(dir, LEDGER_FILE), checkpointIntervalMs: 0 });
  ledger.createStore({
    id: 'store-local',
    name: '独立小店',
    timeZone: 'Asia/Shanghai',
    dayCloseHour: 4,
    spendPolicy: 'principal_first',
    singleOperationLimitFen: 1_000_000,
  });
  ledger.createTerminal({ id: 'till-local', storeId: 'store-local', name: 'Till' });
  ledger.createStaff({
    id: 'admin-1',
    storeId: 'store-local',
    code: '9001',
    name: 'Owner',
    role: 'admin',
    pin: '246810',
  });
  ledger.settings.set('host.identity', { storeId: 'store-local', terminalId: 'till-local' });
  ledger.settings.set('book.mode', 'live');
  return ledger;
}

describe.each<Engine>(['pglite', 'postgres'])('enrolment with HQ on %s', (engine) => {
  let hq: HqUnderTest;
  let server: RunningHqServer;
  const hosts: Host[] = [];

  beforeAll(async () => {
    hq = await openHq(engine);
    server = await serve(hq.service);
    const now = Date.now();
    for (const [id, name] of [
      ['store-a', '东门店'],
      ['store-b', '西门店'],
    ] as const) {
      await hq.service.saveStore({
        id,
        name,
        address: `${name} 1号`,
        timeZone: 'Asia/Shanghai',
        currency: 'CNY',
        now,
      });
    }
  }, 120_000);

  afterAll(async () => {
    for (const host of hosts) await host.close();
    await server?.close();
    await hq?.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('gives each new terminal a unique id, and takes a code once, never after it expired or for another store', async () => {
    const now = Date.now();
    const first = await hq.service.createTerminal({ storeId: 'store-a', name: '前台 1', now });
    const second = await hq.service.createTerminal({ storeId: 'store-a', name: '前台 1', now });
    expect(first.terminalId).not.toBe(second.terminalId);
    await expect(hq.service.createTerminal({ storeId: 'store-x', name: 'Till', now })).rejects.toMatchObject({
      code: 'HQ_STORE_UNKNOWN',
    });

    const answer = await exchangeEnrolmentCode({ hqUrl: server.url, code: first.code });
    expect(answer).toMatchObject({
      store: { id: 'store-a', name: '东门店', timeZone: 'Asia/Shanghai', currency: 'CNY' },
      terminal: { id: first.terminalId, name: '前台 1' },
    });
    // The private key and the card keys never show in what could be logged.
    expect(JSON.stringify(answer)).not.toContain(answer.credentials.privateKey);
    expect(Object.keys(answer.cardKeys)).toEqual([]);

    expect((await refusal(exchangeEnrolmentCode({ hqUrl: server.url, code: first.code }))).code).toBe(
      'ENROLMENT_CODE_USED',
    );
    expect(
      (await refusal(exchangeEnrolmentCode({ hqUrl: server.url, code: 'ABCDE-FGHIJ-KLMNO-PQRST' }))).code,
    ).toBe('ENROLMENT_CODE_UNKNOWN');
    const expired = await hq.service.createEnrolmentCode({
      terminalId: second.terminalId,
      now: now - 10_000,
      ttlMs: 1,
    });
    expect((await refusal(exchangeEnrolmentCode({ hqUrl: server.url, code: expired.code }))).code).toBe(
      'ENROLMENT_CODE_EXPIRED',
    );
    // A till of store B asked to come back with a code HQ made for store A's terminal.
    const fresh = await hq.service.createEnrolmentCode({ terminalId: second.terminalId, now });
    expect(
      (
        await refusal(
          exchangeEnrolmentCode({ hqUrl: server.url, code: fresh.code, expectedStoreId: 'store-b' }),
        )
      ).code,
    ).toBe('ENROLMENT_CODE_OTHER_STORE');
    // Refusals spend nothing: the same code still works for the right store.
    await expect(
      exchangeEnrolmentCode({ hqUrl: server.url, code: fresh.code, expectedStoreId: 'store-a' }),
    ).resolves.toMatchObject({ terminal: { id: second.terminalId } });
  });

  it('refuses a till whose clock is far off, in words, and writes nothing on either side', async () => {
    const made = await hq.service.createTerminal({ storeId: 'store-b', name: 'Clock', now: Date.now() });
    const wrong = await refusal(
      exchangeEnrolmentCode({
        hqUrl: server.url,
        code: made.code,
        now: () => Date.now() - 3 * 60 * 60 * 1000,
      }),
    );
    expect(wrong.code).toBe('CLOCK_SKEW');
    expect(wrong.message).toMatch(/clock/i);
    await expect(exchangeEnrolmentCode({ hqUrl: server.url, code: made.code })).resolves.toMatchObject({
      terminal: { id: made.terminalId },
    });
  });

  it('writes nothing when HQ cannot be reached, and the same code works once it can', async () => {
    const made = await hq.service.createTerminal({ storeId: 'store-b', name: 'Retry', now: Date.now() });
    const dir = dataDir();
    const keys = await openBrowserModeKeys(dir);
    const unreachable = await refusal(
      exchangeEnrolmentCode({ hqUrl: 'http://127.0.0.1:9', code: made.code, timeoutMs: 2_000 }),
    );
    expect(unreachable.code).toBe('HQ_UNREACHABLE');
    expect(keys.secrets.get(SECRET_NAMES.hqSigningKey)).toBeUndefined();
    const answer = await exchangeEnrolmentCode({ hqUrl: server.url, code: made.code });
    expect(answer.terminal.id).toBe(made.terminalId);
  });

  it('enrols two tills of the chain: same card-key fingerprint, a secured card of one reads at the other, pushes are signed and applied', async () => {
    const a = await hq.service.createTerminal({ storeId: 'store-a', name: 'A 前台', now: Date.now() });
    const b = await hq.service.createTerminal({ storeId: 'store-b', name: 'B 前台', now: Date.now() });
    const tillA = await enrolFreshTill(server.url, a.code);
    const tillB = await enrolFreshTill(server.url, b.code);
    hosts.push(tillA.host, tillB.host);

    expect(tillA.host.identity).toEqual({ storeId: 'store-a', terminalId: a.terminalId });
    expect(tillA.host.ledger.store('store-a')?.name).toBe('东门店');
    const linkA = readHqLink(tillA.host.ledger.settings)!;
    const linkB = readHqLink(tillB.host.ledger.settings)!;
    expect(linkA.cardKeyFingerprint).toBe(linkB.cardKeyFingerprint);
    expect(tillA.host.cardSecurity.chainId).toBe(tillB.host.cardSecurity.chainId);
    // The settings hold the link and no secret.
    expect(JSON.stringify(tillA.host.ledger.settings.get(HQ_SETTING))).not.toMatch(
      /privateKey|masterKey|secret/i,
    );

    // A secured card issued with till A's keys is read and verified by a reader set up as till B's are.
    const card = new VirtualClassicCard('mifare-classic-1k', fromHex('04AABBCCDDEE01'));
    await issueSecuredClassic(directSession(card), {
      keys: tillA.host.cardSecurity.keys,
      sector: tillA.host.cardSecurity.sector,
      cardNumber: '8801000000000001',
    });
    const transport = new InProcessCardTransport();
    transport.addReader('B reader');
    const reader = new ReaderManager({
      transport,
      secured: { keys: tillB.host.cardSecurity.keys, sector: tillB.host.cardSecurity.sector },
    });
    reader.start();
    try {
      const presented = new Promise<{ cardNumber?: string }>((resolve) =>
        reader.once('card.presented', resolve),
      );
      transport.insert('B reader', card);
      expect((await presented).cardNumber).toBe('8801000000000001');
    } finally {
      await reader.stop();
    }

    // Till A's first operation goes up signed with its Ed25519 key and is applied at HQ.
    const admin = { id: 'staff-a-admin' };
    tillA.host.ledger.createStaff({
      id: admin.id,
      storeId: 'store-a',
      code: '9001',
      name: 'Admin',
      role: 'admin',
      pin: '135790',
    });
    tillA.host.ledger.createMember({
      id: 'member-a-1',
      storeId: 'store-a',
      name: '陈静',
      terminalId: a.terminalId,
    });
    const written = tillA.host.ledger.outbox.pending(100).map((row) => row.operationId);
    expect(written.length).toBeGreaterThan(0);
    await until(async () => (await hq.service.operationsOf(a.terminalId)).length === written.length);
    await expectExactlyOnceInOrder(hq.service, a.terminalId, written);
  });

  it('a till HQ revoked says so in words, keeps its operations and sends them once enrolled again', async () => {
    const made = await hq.service.createTerminal({ storeId: 'store-a', name: 'Revoked', now: Date.now() });
    const till = await enrolFreshTill(server.url, made.code);
    hosts.push(till.host);
    till.host.ledger.createMember({
      id: 'member-r-1',
      storeId: 'store-a',
      name: '刘洋',
      terminalId: made.terminalId,
    });
    await until(async () => (await hq.service.operationsOf(made.terminalId)).length === 1);

    // HQ revokes the till (stolen, or sent for repair): its next request is refused with TERMINAL_REVOKED.
    await hq.service.revokeTerminal(made.terminalId, 'chain-admin', Date.now());
    const statuses: string[] = [];
    till.host.hub.subscribe((name, payload) => {
      if (name === 'sync.status') statuses.push((payload as { state: string }).state);
    });
    till.host.ledger.createMember({
      id: 'member-r-2',
      storeId: 'store-a',
      name: '赵敏',
      terminalId: made.terminalId,
    });
    await until(() => statuses.includes('revoked'));
    expect(readHqLink(till.host.ledger.settings)?.revokedAt).toBeTypeOf('number');
    expect(till.host.ledger.outbox.stats().waiting).toBe(1);

    // Enrolled again with a new code for the same terminal: the kept operation goes up, once.
    const again = await hq.service.createEnrolmentCode({ terminalId: made.terminalId, now: Date.now() });
    await till.host.joinChain({ hqUrl: server.url, code: again.code, staffId: 'nobody' });
    await until(async () => (await hq.service.operationsOf(made.terminalId)).length === 2);
    expect((await hq.service.operationsOf(made.terminalId)).map((row) => row.seq)).toEqual([1, 2]);
    expect(readHqLink(till.host.ledger.settings)?.revokedAt).toBeUndefined();
  });

  it('a till whose terminal id was enrolled on another machine stops syncing, keeps its operations and sends them once enrolled again', async () => {
    const made = await hq.service.createTerminal({ storeId: 'store-a', name: 'Replaced', now: Date.now() });
    const till = await enrolFreshTill(server.url, made.code);
    hosts.push(till.host);
    till.host.ledger.createMember({
      id: 'member-p-1',
      storeId: 'store-a',
      name: '刘洋',
      terminalId: made.terminalId,
    });
    await until(async () => (await hq.service.operationsOf(made.terminalId)).length === 1);

    // HQ gives the terminal a new key (the code was used elsewhere): this till's key no longer verifies.
    const other = await hq.service.createEnrolmentCode({ terminalId: made.terminalId, now: Date.now() });
    await exchangeEnrolmentCode({ hqUrl: server.url, code: other.code });
    const statuses: string[] = [];
    till.host.hub.subscribe((name, payload) => {
      if (name === 'sync.status') statuses.push((payload as { state: string }).state);
    });
    till.host.ledger.createMember({
      id: 'member-p-2',
      storeId: 'store-a',
      name: '赵敏',
      terminalId: made.terminalId,
    });
    await until(() => statuses.includes('revoked'));
    expect(readHqLink(till.host.ledger.settings)?.revokedAt).toBeTypeOf('number');
    expect(till.host.ledger.outbox.stats().waiting).toBe(1);

    // Enrolled again with a new code for the same terminal: the kept operation goes up, once.
    const again = await hq.service.createEnrolmentCode({ terminalId: made.terminalId, now: Date.now() });
    await till.host.joinChain({ hqUrl: server.url, code: again.code, staffId: 'nobody' });
    await until(async () => (await hq.service.operationsOf(made.terminalId)).length === 2);
    expect((await hq.service.operationsOf(made.terminalId)).map((row) => row.seq)).toEqual([1, 2]);
    expect(readHqLink(till.host.ledger.settings)?.revokedAt).toBeUndefined();
  });

  it('a standalone store joins later: its earlier operations reach HQ in order, once, under the terminal id HQ assigned', async () => {
    const dir = dataDir();
    const keys = await openBrowserModeKeys(dir);
    const standalone = standaloneBook(dir);
    standalone.createMember({
      id: 'member-l-1',
      storeId: 'store-local',
      name: '孙伟',
      terminalId: 'till-local',
    });
    standalone.createMember({
      id: 'member-l-2',
      storeId: 'store-local',
      name: '周婷',
      terminalId: 'till-local',
    });
    const earlier = standalone.outbox.pending(100).map((row) => row.operationId);
    standalone.close();
    const host = createHost({ dataDir: dir, secrets: keys.secrets });
    hosts.push(host);
    const fingerprintBefore = host.cardSecurity.chainId;

    const made = await hq.service.createTerminal({ storeId: 'store-b', name: 'Joined', now: Date.now() });
    const link = await host.joinChain({ hqUrl: server.url, code: made.code, staffId: 'admin-1' });
    expect(link).toMatchObject({
      terminalId: made.terminalId,
      storeId: 'store-b',
      localStoreId: 'store-local',
    });
    expect(host.cardSecurity.chainId).not.toBe(fingerprintBefore);
    await until(async () => (await hq.service.operationsOf(made.terminalId)).length === earlier.length);
    await expectExactlyOnceInOrder(hq.service, made.terminalId, earlier);
    expect(host.ledger.auditLog.after(0, 1000).some((line) => line.action === 'hq.enrolled')).toBe(true);
  });
});
