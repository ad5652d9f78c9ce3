/**
 * Members and their cards at the counter, in Debian's Chromium against browser mode: a cashier activates a
 * card for a new member step by step (ID check digit, the document seen, a blank card written, a password, an
 * opening top-up with its tiered bonus, the slip printed); the member's password locks after five wrong
 * tries at the counter and a manager's PIN resets it; the card is reported lost and replaced, and the
 * whole balance, principal and bonus, moves to the new card; a manager sets the member's tier by hand with a
 * reason, records the notices the member wants and prints the card's statement.
 */
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { openPromotions } from '../../db/promotions/index';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { openShift } from '../support/shift';
import { type RunningTerminal, startTerminal } from './host-fixture';
import { factOf, logIn, logOut, tab, typeAmount } from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';
const cashier = DEMO.staff.cashier;
const manager = DEMO.staff.manager;

/** The new member and their cards. */
const member = { name: '林晓', phone: '13912345678', idNumber: '11010519491231002X' };
const firstCard = { uid: '04C0FFEE000101', cardNumber: '8800000000000101' };
const secondCard = { cardNumber: '6200000000000102' };
const password = '246813';

let terminal: RunningTerminal;
let browser: LaunchedChromium;
let page: Page;
const pageErrors: string[] = [];

function cardByNumber(cardNumber: string) {
  const found = terminal.host.ledger.findCardByNumber(cardNumber);
  if (found === undefined) throw new Error(`card ${cardNumber} was not issued`);
  return found;
}

const button = (name: string, scope: Page | Locator = page) =>
  scope.getByRole('button', { name, exact: true });
/** The member's profile on the members screen, or the member beside the keypad at the counter. */
const memberRegion = () => page.getByRole('region', { name: member.name });
/** A card on the member's profile, named by its number. */
const profileCard = (cardNumber: string) => page.getByRole('listitem', { name: cardNumber, exact: true });
const slip = () => page.getByRole('figure', { name: '小票预览' });

/** Next step of the activation: the prompt names the step it moved to. */
async function forward(prompt: string): Promise<void> {
  await button('下一步').click();
  await page.getByText(prompt).waitFor();
}

/** Opens the member's profile on the members screen by searching their phone number. */
async function openProfile(): Promise<void> {
  await tab(page, '会员').click();
  const search = page.getByLabel('输入手机号、姓名或卡号，或直接拍卡/刷卡');
  await search.fill(member.phone);
  await search.press('Enter');
  await memberRegion().waitFor();
}

/** Types a charge's amount at the counter and asks to charge it. */
async function startCharge(): Promise<Locator> {
  await typeAmount(page, '10', '¥10.00');
  await page.keyboard.press('Enter');
  const charge = page.getByRole('form', { name: '确认消费' });
  await charge.waitFor();
  return charge;
}

describe.runIf(chromiumAvailable())('members and cards in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    terminal = await startTerminal({ trainingMode: true });
    // These tests take cash, which needs the drawer's shift open.
    await openShift(terminal.host);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(terminal.server.url);
    await logIn(page, cashier);
  });

  afterAll(async () => {
    await browser?.close();
    await terminal?.stop();
  });

  it('activates a card step by step: ID check, blank card written, password, tiered opening bonus, slip printed', async () => {
    await tab(page, '开卡').click();
    await page.getByText('第 1 步：登记会员信息').waitFor();

    // A mistyped ID number is caught by its check character before anything is sent.
    await page.getByLabel('姓名', { exact: true }).fill(member.name);
    await page.getByLabel('手机', { exact: true }).fill(member.phone);
    const idNumber = page.getByLabel('身份证号（选填）');
    await idNumber.fill('110105194912310021');
    expect(await page.getByRole('alert').textContent()).toContain('校验码');
    await idNumber.fill(member.idNumber);
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    // Without the member's consent there is no next step.
    expect(await button('下一步').isDisabled()).toBe(true);
    await page.getByLabel('会员已阅读并同意个人信息处理说明').check();
    await forward('第 2 步');

    // An ID number on record: the staff member must confirm the document was seen.
    expect(await page.getByText('第 2 步').textContent()).toContain('身份证件');
    expect(await button('下一步').isDisabled()).toBe(true);
    await page.getByLabel('我已核验会员身份证件原件').check();
    await forward('第 3 步');

    // A blank MIFARE card is tapped on the simulated reader (not this chain's card yet); its printed number is
    // typed, and it will be written in the chain's secured format.
    await terminal.host.simulator!.presentCard(firstCard.uid);
    await page.getByText(`已读取卡片（UID ${firstCard.uid}）`).waitFor();
    expect(await page.getByText('本店加密格式').count()).toBe(1);
    await page.getByLabel('卡面印刷卡号').fill(firstCard.cardNumber);
    await forward('第 4 步');

    await page.getByLabel('6 位会员密码').fill('123456');
    await page.getByText('密码不能是 6 个相同数字或连续数字。').waitFor();
    await page.getByLabel('6 位会员密码').fill(password);
    await page.getByLabel('再输入一次').fill(password);
    await forward('第 5 步');

    // ¥500 reaches the second step of 充值送 (充100送20, 充500送120, 充1000送300): ¥120, shown before paying.
    await page.getByLabel('充值金额（元）').fill('500');
    await page.getByText('赠送 ¥120.00（充值送').waitFor();
    await forward('第 6 步');
    expect(await factOf(page, '赠送')).toBe('¥120.00');

    await button('确认开卡').click();
    await page.getByText('开卡完成').waitFor();
    // The new balance is shown large, named for a screen reader.
    expect(await page.getByRole('status', { name: '当前余额', exact: true }).textContent()).toBe('¥620.00');
    expect(await page.getByText('卡号已写入卡片。').count()).toBe(1);
    const printed = (await slip().textContent()) ?? '';
    expect(printed).toContain('开卡凭证');
    expect(printed).toMatch(/卡类型\s+MIFARE加密卡/);
    expect(printed).toContain('开卡充值');
    expect(printed).toMatch(/充值金额\s+[¥￥]500\.00/);
    expect(printed).toMatch(/赠送金额\s+[¥￥]120\.00/);
    expect(printed).toMatch(/活动\s+充值送/);
    expect(printed).toContain('会员密码: 已设置');
    expect(printed).toMatch(/本金余额\s+[¥￥]500\.00/);
    expect(printed).not.toContain(member.phone);
    await page.screenshot({ path: `${SCREENSHOTS}/activation-zh-CN.png`, fullPage: true });

    // The ledger: one member with the ID number and password, the card bound, the top-up with its rule.
    const card = cardByNumber(firstCard.cardNumber);
    expect(card).toMatchObject({ uid: firstCard.uid, medium: 'mifare', state: 'active' });
    expect(card.balance).toEqual({ principalFen: 50_000, bonusFen: 12_000, points: 500 });
    const profile = terminal.host.members.profile(card.memberId);
    expect(profile).toMatchObject({ name: member.name, hasPassword: true, birthday: '1949-12-31' });
    const consents = terminal.host.members.consents(card.memberId);
    expect(consents.find((consent) => consent.kind === 'pipl')).toMatchObject({ granted: true });
    expect(consents.find((consent) => consent.kind === 'marketing')).toMatchObject({ granted: false });
    // The slip reached the printer: its job is done.
    await expect
      .poll(
        () =>
          terminal.host.ledger.printJobs.list({ limit: 20 }).find((job) => job.kind === 'card_issue')?.state,
      )
      .toBe('done');
  });

  it('locks the member password at the counter after five wrong tries; a manager PIN resets it', async () => {
    await tab(page, '收银台').click();
    // The card written at activation now reads as this chain's card: its number, verified, finds the member.
    const read = terminal.host.hub.next('card.presented', (card) => card.uid === firstCard.uid);
    await terminal.host.simulator!.presentCard(firstCard.uid);
    expect(await read).toMatchObject({ cardNumber: firstCard.cardNumber });
    expect((await read).refused).toBeUndefined();
    await memberRegion().waitFor();
    const charge = await startCharge();

    const note = charge.getByRole('alert');
    const memberPassword = charge.getByLabel('会员密码（请会员输入 6 位密码）');
    /** Types a password and confirms; the field empties once the host has answered. */
    const attempt = async (typed: string) => {
      await memberPassword.fill(typed);
      await memberPassword.press('Enter');
      await expect.poll(() => memberPassword.inputValue()).toBe('');
    };
    for (let left = 4; left >= 1; left -= 1) {
      await attempt('135790');
      expect(await note.getAttribute('data-code')).toBe('PASSWORD_WRONG');
      expect(await note.textContent()).toContain(`${left}`);
    }
    await attempt('135790');
    expect(await note.getAttribute('data-code')).toBe('PASSWORD_LOCKED');
    // Locked: even the right password is refused, and no money moved.
    await attempt(password);
    expect(await note.getAttribute('data-code')).toBe('PASSWORD_LOCKED');
    const card = cardByNumber(firstCard.cardNumber);
    expect(terminal.host.ledger.operationsOf({ cardId: card.id, kinds: ['spend'], limit: 10 })).toHaveLength(
      0,
    );
    expect(terminal.host.members.profile(card.memberId)?.passwordLocked).toBe(true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');

    // The cashier resets it on the member's profile with the manager's staff number and PIN.
    await openProfile();
    const profile = memberRegion();
    expect(await factOf(profile, '会员密码')).toContain('已锁定');
    // A cashier sees the phone and ID number masked.
    expect(await factOf(profile, '手机')).toBe('139****5678');
    expect(await factOf(profile, '身份证号')).toBe('110***********002X');
    await button('重置密码', profile).click();
    await page.getByLabel('6 位会员密码').fill('975312');
    await page.getByLabel('再输入一次').fill('975312');
    await page.getByLabel('店长工号').fill(manager.code);
    await page.getByLabel('店长密码').fill(manager.pin);
    await button('保存').click();
    await expect.poll(() => factOf(profile, '会员密码')).toBe('已设置');

    // With the new password the charge goes through. The counter still shows the member from before: back to
    // waiting first, so the tap's answer cannot clear an amount typed meanwhile.
    await tab(page, '收银台').click();
    await page.keyboard.press('Escape');
    await page.getByLabel('也可以输入卡号后按回车').waitFor();
    await terminal.host.simulator!.presentCard(firstCard.uid);
    await memberRegion().waitFor();
    const again = await startCharge();
    await again.getByLabel('会员密码（请会员输入 6 位密码）').fill('975312');
    await again.getByLabel('会员密码（请会员输入 6 位密码）').press('Enter');
    const result = page.getByRole('region', { name: '消费成功' });
    await result.waitFor();
    expect(await factOf(result, '本金')).toBe('¥490.00');
    expect(await factOf(result, '赠送金')).toBe('¥120.00');
    await page.keyboard.press('Enter');
  });

  it('replaces a lost card: the whole balance, principal and bonus, moves to the new card', async () => {
    // Tapping the card on the members screen opens its member, not the counter.
    await tab(page, '会员').click();
    await terminal.host.simulator!.presentCard(firstCard.uid);
    await memberRegion().waitFor();
    const old = cardByNumber(firstCard.cardNumber);
    const oldCard = profileCard(firstCard.cardNumber);
    await button('挂失', oldCard).click();
    await oldCard.getByText('已挂失', { exact: true }).waitFor();
    expect(terminal.host.ledger.card(old.id)?.state).toBe('lost');

    // What the card holds now (points included, however many the charges earned) is what must move.
    const held = terminal.host.ledger.balance(old.id);
    expect(held).toMatchObject({ principalFen: 49_000, bonusFen: 12_000 });
    await button('补卡/换卡', oldCard).click();
    const replace = page.getByRole('form', { name: '补卡：余额全部转入新卡' });
    expect(await replace.textContent()).toContain('¥490.00');
    // The replacement card is swiped through the simulated swiper.
    terminal.host.simulator!.swipe(secondCard.cardNumber);
    await expect
      .poll(() => replace.getByLabel('卡号', { exact: true }).inputValue())
      .toBe(secondCard.cardNumber);
    // A cashier needs a manager: without the PIN there is no confirming.
    expect(await button('确认', replace).isDisabled()).toBe(true);
    await replace.getByLabel('店长工号').fill(manager.code);
    await replace.getByLabel('店长密码').fill(manager.pin);
    await button('确认', replace).click();
    const printed = (await slip().textContent()) ?? '';
    expect(printed).toContain('换卡凭证');
    expect(printed).toMatch(/转入余额/);
    expect(printed).toMatch(/本金余额\s+[¥￥]490\.00/);
    expect(printed).toMatch(/赠送余额\s+[¥￥]120\.00/);

    const newCard = profileCard(secondCard.cardNumber);
    await expect.poll(() => factOf(newCard, '可用余额')).toBe('¥610.00');
    expect(await factOf(newCard, '本金')).toBe('¥490.00');
    expect(await factOf(newCard, '赠送金')).toBe('¥120.00');
    expect(await oldCard.getByText('已换卡', { exact: true }).count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/members-replaced-zh-CN.png`, fullPage: true });

    const moved = cardByNumber(secondCard.cardNumber);
    expect(moved).toMatchObject({ medium: 'magstripe', state: 'active', memberId: old.memberId });
    expect(moved.balance).toEqual(held);
    expect(terminal.host.ledger.balance(old.id)).toEqual({ principalFen: 0, bonusFen: 0, points: 0 });
    expect(terminal.host.ledger.card(old.id)?.state).toBe('replaced');
    expect(terminal.host.ledger.checkInvariants().ok).toBe(true);
  });

  it('lets a manager see the profile in full, freeze and unfreeze a card, and see why it cannot be closed yet', async () => {
    await logOut(page);
    await logIn(page, manager);

    await openProfile();
    const profile = memberRegion();
    expect(await factOf(profile, '手机')).toBe(member.phone);
    expect(await factOf(profile, '身份证号')).toBe(member.idNumber);
    // The member's data as a file (the PIPL access right): a manager's export.
    await button('导出资料', profile).click();
    const link = page.getByRole('link', { name: /^下载 / });
    await link.waitFor();
    expect(await link.getAttribute('download')).toMatch(/^member-.+-\d{8}\.json$/);
    expect(await link.getAttribute('href')).toMatch(/^blob:/);

    // Card services: the replacement card swiped, frozen, unfrozen.
    await tab(page, '卡务').click();
    terminal.host.simulator!.swipe(secondCard.cardNumber);
    await memberRegion().waitFor();
    await button('冻结').click();
    await expect.poll(() => factOf(page, '卡状态')).toBe('已冻结');
    expect(cardByNumber(secondCard.cardNumber).state).toBe('frozen');
    await button('解冻').click();
    await expect.poll(() => factOf(page, '卡状态')).toBe('正常');

    // The member forgot the password: a logged-in manager resets it here, no second PIN asked.
    await button('重置密码').click();
    expect(await page.getByLabel('店长密码').count()).toBe(0);
    await page.getByLabel('6 位会员密码').fill('802468');
    await page.getByLabel('再输入一次').fill('802468');
    await button('保存').click();
    await expect.poll(() => page.getByLabel('6 位会员密码').count()).toBe(0);
    const memberId = cardByNumber(secondCard.cardNumber).memberId;
    expect(() =>
      terminal.host.members.verifyPassword({ memberId, password: '802468', terminalId: DEMO.terminalId }),
    ).not.toThrow();

    // Closing shows the arithmetic first; the points earned are lost with the card, so the member's
    // agreement is asked for before the close can be confirmed.
    await button('退卡').click();
    const close = page.getByRole('form', { name: '退卡结算' });
    await close.waitFor();
    expect(await factOf(close, '退还本金')).toBe('¥490.00');
    expect(await factOf(close, '作废赠送金')).toBe('¥120.00');
    const points = terminal.host.ledger.balance(cardByNumber(secondCard.cardNumber).id).points;
    expect(points).toBeGreaterThan(0);
    expect(await factOf(close, '作废积分')).toBe(String(points));
    const agree = close.getByRole('checkbox', {
      name: `卡内还有 ${points} 积分，退卡后将作废。会员已同意作废。`,
    });
    expect(await button('确认退卡', close).isDisabled()).toBe(true);
    await agree.check();
    expect(await button('确认退卡', close).isDisabled()).toBe(false);
    await agree.uncheck();
    expect(await button('确认退卡', close).isDisabled()).toBe(true);
    expect(cardByNumber(secondCard.cardNumber).state).toBe('active');
    expect(pageErrors).toEqual([]);
  });

  it('lets a manager set the tier by hand with a reason, choose the notices and print a statement', async () => {
    // Still the manager from the step before.
    openPromotions(terminal.host.ledger).defineTier({
      id: 'tier-gold',
      storeId: DEMO.storeId,
      name: '金卡会员',
      rank: 9,
      basis: 'top_up',
      thresholdFen: 100_000_000,
      discountBp: 500,
      staffId: manager.id,
    });
    await openProfile();
    const profile = memberRegion();
    const memberId = cardByNumber(secondCard.cardNumber).memberId;
    await button('调整等级', profile).click();
    await page.getByLabel('新等级').selectOption('tier-gold');
    // No reason, no confirming.
    expect(await button('确认调整').isDisabled()).toBe(true);
    await page.getByLabel('调整原因').fill('长期老顾客');
    await button('确认调整').click();
    // The tier is shown beside the name.
    await expect
      .poll(() => profile.getByRole('heading', { level: 2 }).textContent())
      .toBe(`${member.name}金卡会员`);
    expect(openPromotions(terminal.host.ledger).tierOf(memberId)?.id).toBe('tier-gold');

    // A notice for each charge, as the member asks.
    const spendNotice = profile.getByLabel('每笔消费通知');
    expect(await spendNotice.isChecked()).toBe(false);
    await spendNotice.check();
    await profile.getByRole('status').filter({ hasText: '通知设置已保存。' }).waitFor();
    expect(terminal.host.loyalty.notices.optIn(memberId)).toMatchObject({ spend: true });

    // The statement of the new card, printed on the receipt printer.
    const statements = () =>
      terminal.host.ledger.printJobs.list({ limit: 200 }).filter((job) => job.kind === 'balance').length;
    const before = statements();
    const card = profileCard(secondCard.cardNumber);
    await button('对账单', card).click();
    await button('打印对账单', card).click();
    await card.getByRole('status').filter({ hasText: '对账单已送到小票打印机。' }).waitFor();
    expect(statements()).toBe(before + 1);
    expect(pageErrors).toEqual([]);
  });
});
