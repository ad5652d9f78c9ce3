/**
 * Going live, from zero: HQ on a real PostgreSQL with two stores, each given a till by the chain admin's command
 * line; two terminals in browser mode on empty data directories, each set up on its setup screen in Chromium
 * (HQ's address, the one-time code, the first admin's own PIN), both on the machine's pcscd with the vpcd
 * reader, both following the chain's rule for typed card numbers. A secured card issued at store A is read at store B with the same card-key fingerprint and charged
 * there, and HQ's settlement shows it; a card reported lost at B is refused at A after A's next pull; with HQ
 * stopped, A refuses a charge over the offline cap in words and takes one under it; after HQ is back, every
 * operation of both tills is at HQ exactly once, in order.
 */

import type { Locator, Page } from 'playwright-core';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import type { Host } from '../../electron/host/compose';
import { Session } from '../../electron/host/session';
import { fromHex, VirtualClassicCard, VpcdCardSlot } from '../../hardware/index';
import type { RunningHqServer } from '../../sync/hq';
import { runCli } from '../../sync/hq/cli';
import {
  adminSession,
  expectExactlyOnceInOrder,
  type HqUnderTest,
  openHq,
  serve,
  until,
} from '../integration/sync/fixtures';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { type PcscdHandle, startPcscd } from '../support/pcscd';
import { freePort } from '../support/postgres';
import { type SetupTerminal, startSetupTerminal } from './host-fixture';
import { factOf, logIn, tab } from './terminal-page';

const READER = 'Virtual PCD 00 00';
const CAPS = { perCardFen: 5_000, perTerminalFen: 50_000, maxAgeMs: 24 * 3_600_000 };
const consent = { purpose: '会员服务', version: 'v1' };

interface Till {
  label: string;
  terminal: SetupTerminal;
  page: Page;
  admin: { name: string; code: string; pin: string };
  host(): Host;
  /** The admin's session on the host API, for the steps whose screens other e2e tests already drive. */
  session: Session;
}

const secured = { uid: '04A11CE0000001', cardNumber: '8800000000000901' };
/** The member's card: a blank MIFARE Classic 1K until A writes it. */
const securedCard = new VirtualClassicCard('mifare-classic-1k', fromHex(secured.uid));
const keyed = { cardNumber: '5599000000000901' };

let hq: HqUnderTest;
let hqServer: RunningHqServer;
let hqPort: number;
let pcscd: PcscdHandle;
let browser: LaunchedChromium;
let tillA: Till;
let tillB: Till;
const slot = new VpcdCardSlot({ slot: 0 });
const pageErrors: string[] = [];
let securedCardId = '';
let keyedCardId = '';

const button = (scope: Page | Locator, name: string) => scope.getByRole('button', { name, exact: true });
/** The counter's card-number field, there while it waits for a card. */
const cardNumberField = (page: Page) => page.getByLabel('也可以输入卡号后按回车');
/** The member beside the keypad, named by the member's name. */
const memberShown = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
const chargeForm = (page: Page) => page.getByRole('form', { name: '确认消费' });

/** The chain admin's `npm run hq -- terminal …`: the one-time code it prints. */
async function newTillCode(storeId: string, name: string): Promise<string> {
  const printed = await runCli(hq.service, 'terminal', [storeId, name]);
  const code = /^code:\s+(\S+)$/m.exec(printed)?.[1];
  if (code === undefined) throw new Error(`no code in ${printed}`);
  return code;
}

/** A till set up on its setup screen, as the technician does it: join the chain, the first admin's PIN. */
async function setUpTill(
  label: string,
  code: string,
  admin: { name: string; code: string; pin: string },
): Promise<Till> {
  const terminal = await startSetupTerminal({ hardware: true });
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${label}: ${error.message}`));
  await page.goto(terminal.server.url);
  await page.getByRole('tab', { name: '加入连锁' }).click();
  await page.getByLabel('总部地址').fill(hqServer.url);
  await page.getByLabel('注册码').fill(code);
  await page.getByLabel('姓名', { exact: true }).fill(admin.name);
  await page.getByLabel('工号（3–8 位数字）').fill(admin.code);
  await page.getByLabel('密码（4–8 位数字）').fill(admin.pin);
  await page.getByLabel('再输一次密码').fill(admin.pin);
  await button(page, '加入连锁').click();
  // The till's recovery code is shown once before the login, until it is said to be kept safe.
  await button(page, '已保存好，关闭').click();
  await logIn(page, admin);
  const host = () => {
    const composed = terminal.terminal.host();
    if (composed === null) throw new Error(`${label} is not set up`);
    return composed;
  };
  const session = new Session(`going-live-${label}`);
  const login = await host().api.call(session, 'session.login', { staffNo: admin.code, pin: admin.pin });
  if (!login.ok) throw new Error(JSON.stringify(login.error));
  return { label, terminal, page, admin, host, session };
}

async function call<T>(till: Till, name: string, input: unknown): Promise<T> {
  const reply = await till.host().api.call(till.session, name as never, input as never);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
  return reply.value as T;
}

function readerConnected(till: Till): boolean {
  return till
    .host()
    .hub.deviceList()
    .some((device) => device.device === READER && device.state === 'connected');
}

/** Puts a card on the vpcd reader and waits until `till` has read it. */
async function tap(card: VirtualClassicCard, till: Till) {
  // The other till reads it too (one reader, two tills); each test waits for the till it is about.
  const presented = till.host().hub.next('card.presented', (event) => event.uid === secured.uid);
  await slot.insert(card);
  return presented;
}

async function lift(till: Till): Promise<void> {
  const removed = till.host().hub.next('card.removed', () => true);
  slot.remove();
  await removed;
}

/** Everything the till wrote has left its outbox (HQ acknowledged it). */
async function sent(till: Till): Promise<void> {
  await until(() => till.host().ledger.outbox.stats().waiting === 0, 30_000);
}

/**
 * The till's page, brought to the front before a step on it: both tills are tabs of one Chromium, which runs a
 * background tab's timers about once a second, and every click on the tab behind would wait for them.
 */
async function inFront(till: Till): Promise<Page> {
  await till.page.bringToFront();
  return till.page;
}

/** The Devices screen's panel of the link to HQ. */
const hqPanel = (till: Till) => till.page.getByRole('region', { name: '连锁总部' });

/** The Devices screen's 立即同步, and what it said. */
async function syncNow(till: Till): Promise<{ reached: string | null; text: string | null }> {
  await tab(await inFront(till), '设备').click();
  const result = hqPanel(till).getByRole('status');
  await button(hqPanel(till), '立即同步').click();
  await result.waitFor();
  return { reached: await result.getAttribute('data-reached'), text: await result.textContent() };
}

/** The counter, waiting for a card (Escape puts away a member still shown from before). */
async function toCounter(till: Till): Promise<void> {
  const page = await inFront(till);
  await tab(page, '收银台').click();
  await expect
    .poll(async () => {
      if (await cardNumberField(page).isVisible()) return true;
      await page.keyboard.press('Escape');
      return false;
    })
    .toBe(true);
}

async function typeCard(till: Till, cardNumber: string, memberName: string): Promise<void> {
  const page = await inFront(till);
  await cardNumberField(page).fill(cardNumber);
  await cardNumberField(page).press('Enter');
  await memberShown(page, memberName).waitFor();
}

/** Types the amount on the counter and confirms; the caller waits for what follows. */
async function charge(till: Till, yuan: string): Promise<void> {
  const page = await inFront(till);
  await page.keyboard.type(yuan);
  await button(page, '↵ 消费').click();
  await button(chargeForm(page), '确认').click();
}

/** The charge went through: its receipt is shown; the cashier is done with it. */
async function charged(till: Till): Promise<string> {
  const page = await inFront(till);
  const result = page.getByRole('region', { name: '消费成功' });
  await result.waitFor();
  const receipt = (await result.getByRole('figure', { name: '小票预览' }).textContent()) ?? '';
  await button(result, '完成').click();
  return receipt;
}

/** Every operation in the till's book, in its outbox order. */
function operationsOf(till: Till): string[] {
  return till
    .host()
    .ledger.sqlite.prepare<[], { operation_id: string }>('SELECT operation_id FROM outbox ORDER BY seq')
    .all()
    .map((row) => row.operation_id);
}

describe.runIf(chromiumAvailable())('going live: two stores of a chain, from empty data directories', () => {
  beforeAll(async () => {
    hq = await openHq('postgres');
    hqPort = await freePort();
    hqServer = await serve(hq.service, hqPort);
    await runCli(hq.service, 'store', ['store-a', '东门店', '--address', '东门路 1 号']);
    await runCli(hq.service, 'store', ['store-b', '西门店', '--address', '西门路 2 号']);
    await hq.service.setCaps(CAPS, Date.now());
    await runCli(hq.service, 'keyed-entry', ['--uid', 'approval']);
    pcscd = await startPcscd();
    browser = await launchChromium();
  });

  afterAll(async () => {
    slot.remove();
    await slot.close();
    await browser?.close();
    for (const till of [tillA, tillB]) await till?.terminal.stop();
    await pcscd?.stop();
    await hqServer?.close();
    await hq?.close();
  });

  it('sets each till up on its setup screen, in its own store of the chain', async () => {
    tillA = await setUpTill('A', await newTillCode('store-a', '东门 1 号机'), {
      name: '东门店长',
      code: '801',
      pin: '270514',
    });
    tillB = await setUpTill('B', await newTillCode('store-b', '西门 1 号机'), {
      name: '西门店长',
      code: '802',
      pin: '318027',
    });
    await until(() => readerConnected(tillA) && readerConnected(tillB), 30_000);
    for (const till of [tillA, tillB]) {
      expect(till.host().mode).toBe('live');
      // No PIN of the demo café opens a till that joined a chain; only its first admin's own PIN does.
      for (const role of ['cashier', 'manager', 'technician', 'admin'] as const) {
        const { code, pin } = DEMO.staff[role];
        const login = await till
          .host()
          .api.call(new Session('demo-pin'), 'session.login', { staffNo: code, pin });
        expect(login, `${till.label} ${role}`).toMatchObject({ ok: false });
      }
    }
    expect(tillA.host().identity.storeId).toBe('store-a');
    expect(tillB.host().identity.storeId).toBe('store-b');
    // The status bar names the till's store.
    await tillA.page.getByRole('banner').getByText('东门店', { exact: true }).waitFor();
    await tillB.page.getByRole('banner').getByText('西门店', { exact: true }).waitFor();
  });

  it('issues a secured card at A through pcscd, which B reads with the same key fingerprint and charges', async () => {
    // A blank card on A's reader, bound to a new member and written in the chain's format.
    expect(await tap(securedCard, tillA)).toMatchObject({ refused: 'CARD_FOREIGN', reader: READER });
    const issued = await call<{ card: { id: string }; written: string | null }>(tillA, 'cards.activate', {
      operationId: ulid(),
      member: { register: { name: '林晓', phone: '15812340901', consent } },
      identityChecked: false,
      card: { cardNumber: secured.cardNumber, uid: secured.uid, medium: 'mifare', reader: READER },
      openingTopUp: { amountFen: 20_000, tender: 'wechat', reference: 'WX-0901' },
    });
    expect(issued.written).toBe('issued');
    securedCardId = issued.card.id;
    const keyedIssued = await call<{ card: { id: string } }>(tillA, 'cards.activate', {
      operationId: ulid(),
      member: { register: { name: '周宁', phone: '15812340902', consent } },
      identityChecked: false,
      card: { cardNumber: keyed.cardNumber, medium: 'keyed' },
      openingTopUp: { amountFen: 20_000, tender: 'wechat', reference: 'WX-0902' },
    });
    keyedCardId = keyedIssued.card.id;
    await lift(tillA);
    await sent(tillA);

    // B pulls the chain's new member and card (立即同步), and shows the same fingerprint as A.
    expect((await syncNow(tillB)).reached).toBe('true');
    await tab(await inFront(tillA), '设备').click();
    const fingerprintA = await factOf(hqPanel(tillA), '会员卡密钥指纹');
    const fingerprintB = await factOf(hqPanel(tillB), '会员卡密钥指纹');
    expect(fingerprintA).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){3}$/);
    expect(fingerprintB).toBe(fingerprintA);
    // The chain's rule for typed card numbers came with the enrolment: shown, set by HQ, not changed here.
    const panel = tillA.page.getByRole('region', { name: '手工输入卡号的规则' });
    await panel.getByText('按总部设定的规则执行').waitFor();
    expect(await factOf(panel, 'UID 卡')).toBe('需店长授权');
    expect(await panel.getByRole('combobox').count()).toBe(0);

    await toCounter(tillB);
    const atB = await tap(securedCard, tillB);
    expect(atB).toMatchObject({ cardNumber: secured.cardNumber, reader: READER });
    expect(atB.refused).toBeUndefined();
    await memberShown(tillB.page, '林晓').waitFor();
    await charge(tillB, '30');
    expect(await charged(tillB)).toMatch(/消费金额\s+[¥￥]30\.00/);
    await lift(tillB);
    expect(tillB.host().ledger.balance(securedCardId).principalFen).toBe(17_000);
  });

  it("shows B's charge of A's card in HQ's settlement", async () => {
    await sent(tillB);
    const { headers } = await adminSession(hq.database, 'finance');
    const report = (await (await fetch(`${hqServer.url}/api/report`, { headers })).json()) as {
      settlement: { issuerStoreId: string; actingStoreId: string; redeemed: number }[];
    };
    expect(report.settlement).toContainEqual(
      expect.objectContaining({ issuerStoreId: 'store-a', actingStoreId: 'store-b', redeemed: 3_000 }),
    );
  });

  it('refuses at A a card reported lost at B, once A has pulled', async () => {
    await call(tillB, 'cards.reportLost', {
      operationId: ulid(),
      cardId: securedCardId,
      reason: '会员来电挂失',
    });
    await sent(tillB);
    expect((await syncNow(tillA)).reached).toBe('true');
    expect(tillA.host().ledger.card(securedCardId)?.state).toBe('lost');
    await toCounter(tillA);
    await tap(securedCard, tillA);
    const member = memberShown(tillA.page, '林晓');
    await member.waitFor();
    expect(await factOf(member, '卡状态')).toBe('已挂失');
    expect(await member.getByRole('alert').textContent()).toContain('只能查询');
    expect(await button(tillA.page, '↵ 消费').isDisabled()).toBe(true);
    // The host refuses it too, whatever a screen would send.
    await expect(
      call(tillA, 'wallet.charge', { operationId: ulid(), cardId: securedCardId, amountFen: 1_000 }),
    ).rejects.toMatchObject({ code: 'CARD_LOST' });
    expect(tillA.host().ledger.balance(securedCardId).principalFen).toBe(17_000);
    await lift(tillA);
  });

  it('with HQ stopped, refuses a charge over the offline cap in words at A and takes one under it', async () => {
    await hqServer.close();
    const offline = await syncNow(tillA);
    expect(offline.reached).toBe('false');
    expect(offline.text).toContain('连不上总部');

    await toCounter(tillA);
    await typeCard(tillA, keyed.cardNumber, '周宁');
    await charge(tillA, '60');
    const refusal = chargeForm(tillA.page).getByRole('alert');
    await expect.poll(() => refusal.getAttribute('data-code')).toBe('OFFLINE_CARD_CAP_REACHED');
    expect(await refusal.textContent()).toContain('上限 ¥50.00');
    expect(await refusal.textContent()).toContain('还可消费 ¥50.00');
    await toCounter(tillA);
    await typeCard(tillA, keyed.cardNumber, '周宁');
    await charge(tillA, '20');
    expect(await charged(tillA)).toMatch(/消费金额\s+[¥￥]20\.00/);
    expect(tillA.host().ledger.balance(keyedCardId).principalFen).toBe(18_000);
    expect(tillA.host().ledger.outbox.stats().waiting).toBeGreaterThan(0);
  });

  it('after HQ is back, has every operation of both tills at HQ exactly once, in order', async () => {
    hqServer = await serve(hq.service, hqPort);
    const back = await syncNow(tillA);
    expect(back.reached).toBe('true');
    expect(back.text).toContain('还有 0 笔');
    expect((await syncNow(tillB)).reached).toBe('true');
    for (const till of [tillA, tillB]) {
      await sent(till);
      await expectExactlyOnceInOrder(hq.service, till.host().identity.terminalId, operationsOf(till));
    }
    expect(pageErrors).toEqual([]);
  });
});
