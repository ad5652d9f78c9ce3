/**
 * Members and their cards at the counter, in Debian's Chromium against browser mode: a cashier activates a
 * card for a new member step by step (ID check digit, the document seen, a blank card written, a password, an
 * opening top-up with its tiered bonus, the slip printed); the member's password locks after five wrong
 * tries at the counter and a manager's PIN resets it; the card is reported lost and replaced, and the
 * whole balance, principal and bonus, moves to the new card; a manager sets the member's tier by hand with a
 * reason, records the notices the member wants and prints the card's statement.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { openPromotions } from '../../db/promotions/index';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { type RunningTerminal, startTerminal } from './host-fixture';

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

async function text(testId: string): Promise<string> {
  return (await page.getByTestId(testId).first().textContent()) ?? '';
}

async function forward(step: string): Promise<void> {
  await page.getByTestId('activation-forward').click();
  await expect.poll(() => page.getByTestId('activation').getAttribute('data-step')).toBe(step);
}

/** Opens the member's profile on the members screen by searching their phone number. */
async function openProfile(): Promise<void> {
  await page.getByTestId('nav-members').click();
  await page.getByTestId('member-search').fill(member.phone);
  await page.getByTestId('member-search').press('Enter');
  await expect.poll(() => text('profile-name')).toBe(member.name);
}

describe.runIf(chromiumAvailable())('members and cards in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    terminal = await startTerminal({ trainingMode: true });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(terminal.server.url);
    await page.getByTestId('login-staff').fill(cashier.code);
    await page.getByTestId('login-pin').fill(cashier.pin);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('staff-name').filter({ hasText: cashier.name }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await terminal?.stop();
  });

  it('activates a card step by step: ID check, blank card written, password, tiered opening bonus, slip printed', async () => {
    await page.getByTestId('nav-activation').click();
    expect(await text('activation-prompt')).toContain('第 1 步');

    // A mistyped ID number is caught by its check character before anything is sent.
    await page.getByTestId('reg-name').fill(member.name);
    await page.getByTestId('reg-phone').fill(member.phone);
    await page.getByTestId('reg-id-number').fill('110105194912310021');
    expect(await text('id-problem')).toContain('校验码');
    await page.getByTestId('reg-id-number').fill(member.idNumber);
    await expect.poll(() => page.getByTestId('id-problem').count()).toBe(0);
    // Without the member's consent there is no next step.
    expect(await page.getByTestId('activation-forward').isDisabled()).toBe(true);
    await page.getByTestId('reg-consent').check();
    await forward('identity');

    // An ID number on record: the staff member must confirm the document was seen.
    expect(await text('activation-prompt')).toContain('身份证件');
    expect(await page.getByTestId('activation-forward').isDisabled()).toBe(true);
    await page.getByTestId('identity-checked').check();
    await forward('card');

    // A blank MIFARE card is tapped on the simulated reader (not this chain's card yet); its printed number is
    // typed, and it will be written in the chain's secured format.
    await terminal.host.simulator!.presentCard(firstCard.uid);
    await expect.poll(() => page.getByTestId('new-card-uid').count()).toBe(1);
    expect(await text('new-card-uid')).toContain(firstCard.uid);
    expect(await text('new-card-binding')).toContain('加密格式');
    await page.getByTestId('new-card-number').fill(firstCard.cardNumber);
    await forward('password');

    await page.getByTestId('new-password').fill('123456');
    expect(await text('activation')).toContain('连续数字');
    await page.getByTestId('new-password').fill(password);
    await page.getByTestId('new-password-again').fill(password);
    await forward('topUp');

    // ¥500 reaches the second step of 充值送 (充100送20, 充500送120, 充1000送300): ¥120, shown before paying.
    await page.getByTestId('opening-amount').fill('500');
    await expect.poll(() => text('opening-bonus')).toContain('¥120.00');
    expect(await text('opening-bonus')).toContain('充值送');
    await forward('confirm');
    expect(await text('summary-bonus')).toBe('¥120.00');

    await page.getByTestId('activation-confirm').click();
    await page.getByTestId('activation-result').waitFor();
    expect(await text('activation-balance')).toBe('¥620.00');
    expect(await text('activation-written')).toContain('已写入');
    const slip = await text('activation-slip');
    expect(slip).toContain('开卡凭证');
    expect(slip).toMatch(/卡类型\s+MIFARE加密卡/);
    expect(slip).toContain('开卡充值');
    expect(slip).toMatch(/充值金额\s+[¥￥]500\.00/);
    expect(slip).toMatch(/赠送金额\s+[¥￥]120\.00/);
    expect(slip).toMatch(/活动\s+充值送/);
    expect(slip).toContain('会员密码: 已设置');
    expect(slip).toMatch(/本金余额\s+[¥￥]500\.00/);
    expect(slip).not.toContain(member.phone);
    await page.screenshot({ path: `${SCREENSHOTS}/activation-zh-CN.png`, fullPage: true });

    // The book: one member with the ID number and password, the card bound, the top-up with its rule.
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
    await page.getByTestId('nav-counter').click();
    // The card written at activation now reads as this chain's card: its number, verified, finds the member.
    const read = terminal.host.hub.next('card.presented', (card) => card.uid === firstCard.uid);
    await terminal.host.simulator!.presentCard(firstCard.uid);
    expect(await read).toMatchObject({ cardNumber: firstCard.cardNumber });
    expect((await read).refused).toBeUndefined();
    await expect.poll(() => text('member-name')).toBe(member.name);
    await page.keyboard.type('10');
    await expect.poll(() => text('amount')).toContain('¥10.00');
    await page.keyboard.press('Enter');
    await page.getByTestId('charge-confirm').waitFor();

    const note = page.locator('.error-note[data-code]');
    /** Types a password and confirms; the field empties once the host has answered. */
    const attempt = async (typed: string) => {
      await page.getByTestId('member-password').fill(typed);
      await page.getByTestId('member-password').press('Enter');
      await expect.poll(() => page.getByTestId('member-password').inputValue()).toBe('');
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
    expect(await text('profile-password')).toContain('已锁定');
    // A cashier sees the phone and ID number masked.
    expect(await text('profile-phone')).toBe('139****5678');
    expect(await text('profile-id-number')).toBe('110***********002X');
    await page.getByTestId('member-password-action').click();
    await page.getByTestId('new-password').fill('975312');
    await page.getByTestId('new-password-again').fill('975312');
    await page.getByTestId('approver-no').fill(manager.code);
    await page.getByTestId('approver-pin').fill(manager.pin);
    await page.getByTestId('password-save').click();
    await expect.poll(() => text('profile-password')).toBe('已设置');

    // With the new password the charge goes through. The counter still shows the member from before: back to
    // waiting first, so the tap's answer cannot clear an amount typed meanwhile.
    await page.getByTestId('nav-counter').click();
    await page.keyboard.press('Escape');
    await page.getByTestId('waiting').waitFor();
    await terminal.host.simulator!.presentCard(firstCard.uid);
    await expect.poll(() => text('member-name')).toBe(member.name);
    await page.keyboard.type('10');
    await expect.poll(() => text('amount')).toContain('¥10.00');
    await page.keyboard.press('Enter');
    await page.getByTestId('member-password').fill('975312');
    await page.getByTestId('member-password').press('Enter');
    await page.getByTestId('result').waitFor();
    expect(await text('result-principal')).toBe('¥490.00');
    expect(await text('result-bonus')).toBe('¥120.00');
    await page.keyboard.press('Enter');
  });

  it('replaces a lost card: the whole balance, principal and bonus, moves to the new card', async () => {
    // Tapping the card on the members screen opens its member, not the counter.
    await page.getByTestId('nav-members').click();
    await terminal.host.simulator!.presentCard(firstCard.uid);
    await expect.poll(() => text('profile-name')).toBe(member.name);
    const old = cardByNumber(firstCard.cardNumber);
    const oldCard = page.locator(`[data-testid="member-card"][data-card-number="${firstCard.cardNumber}"]`);
    await oldCard.getByTestId('card-lost').click();
    await expect.poll(() => oldCard.getByTestId('member-card-state').textContent()).toBe('已挂失');
    expect(terminal.host.ledger.card(old.id)?.state).toBe('lost');

    // What the card holds now (points included, however many the charges earned) is what must move.
    const held = terminal.host.ledger.balance(old.id);
    expect(held).toMatchObject({ principalFen: 49_000, bonusFen: 12_000 });
    await oldCard.getByTestId('card-replace').click();
    expect(await oldCard.getByTestId('replace-form').textContent()).toContain('¥490.00');
    // The replacement card is swiped through the simulated swiper.
    terminal.host.simulator!.swipe(secondCard.cardNumber);
    await expect.poll(() => page.getByTestId('replace-card-number').inputValue()).toBe(secondCard.cardNumber);
    // A cashier needs a manager: without the PIN there is no confirming.
    expect(await page.getByTestId('replace-confirm').isDisabled()).toBe(true);
    await page.getByTestId('approver-no').fill(manager.code);
    await page.getByTestId('approver-pin').fill(manager.pin);
    await page.getByTestId('replace-confirm').click();
    const slip = await page.getByTestId('card-slip').textContent();
    expect(slip).toContain('换卡凭证');
    expect(slip).toMatch(/转入余额/);
    expect(slip).toMatch(/本金余额\s+[¥￥]490\.00/);
    expect(slip).toMatch(/赠送余额\s+[¥￥]120\.00/);

    const newCard = page.locator(`[data-testid="member-card"][data-card-number="${secondCard.cardNumber}"]`);
    await expect.poll(() => newCard.getByTestId('member-card-total').textContent()).toBe('¥610.00');
    expect(await newCard.getByTestId('member-card-principal').textContent()).toBe('¥490.00');
    expect(await newCard.getByTestId('member-card-bonus').textContent()).toBe('¥120.00');
    expect(await oldCard.getByTestId('member-card-state').textContent()).toBe('已换卡');
    await page.screenshot({ path: `${SCREENSHOTS}/members-replaced-zh-CN.png`, fullPage: true });

    const moved = cardByNumber(secondCard.cardNumber);
    expect(moved).toMatchObject({ medium: 'magstripe', state: 'active', memberId: old.memberId });
    expect(moved.balance).toEqual(held);
    expect(terminal.host.ledger.balance(old.id)).toEqual({ principalFen: 0, bonusFen: 0, points: 0 });
    expect(terminal.host.ledger.card(old.id)?.state).toBe('replaced');
    expect(terminal.host.ledger.checkInvariants().ok).toBe(true);
  });

  it('lets a manager see the profile in full, freeze and unfreeze a card, and see why it cannot be closed yet', async () => {
    await page.getByRole('button', { name: '退出' }).click();
    await page.getByTestId('login-staff').fill(manager.code);
    await page.getByTestId('login-pin').fill(manager.pin);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('staff-name').filter({ hasText: manager.name }).waitFor();

    await openProfile();
    expect(await text('profile-phone')).toBe(member.phone);
    expect(await text('profile-id-number')).toBe(member.idNumber);
    // The member's data as a file (the PIPL access right): a manager's export.
    await page.getByTestId('member-export').click();
    const link = page.getByTestId('export-link');
    await link.waitFor();
    expect(await link.getAttribute('download')).toMatch(/^member-.+-\d{8}\.json$/);
    expect(await link.getAttribute('href')).toMatch(/^blob:/);

    // Card services: the replacement card swiped, frozen, unfrozen.
    await page.getByTestId('nav-cards').click();
    terminal.host.simulator!.swipe(secondCard.cardNumber);
    await expect.poll(() => text('member-name')).toBe(member.name);
    await page.getByTestId('card-freeze').click();
    await expect.poll(() => text('card-state')).toBe('已冻结');
    expect(cardByNumber(secondCard.cardNumber).state).toBe('frozen');
    await page.getByTestId('card-unfreeze').click();
    await expect.poll(() => text('card-state')).toBe('正常');

    // The member forgot the password: a logged-in manager resets it here, no second PIN asked.
    await page.getByTestId('card-service-password').click();
    expect(await page.getByTestId('approver-pin').count()).toBe(0);
    await page.getByTestId('new-password').fill('802468');
    await page.getByTestId('new-password-again').fill('802468');
    await page.getByTestId('password-save').click();
    await expect.poll(() => page.getByTestId('password-form').count()).toBe(0);
    const memberId = cardByNumber(secondCard.cardNumber).memberId;
    expect(() =>
      terminal.host.members.verifyPassword({ memberId, password: '802468', terminalId: DEMO.terminalId }),
    ).not.toThrow();

    // Closing shows the arithmetic first; the points earned are lost with the card, so the member's
    // agreement is asked for before the close can be confirmed.
    await page.getByTestId('card-close').click();
    await page.getByTestId('close-form').waitFor();
    expect(await text('close-refund')).toBe('¥490.00');
    expect(await text('close-forfeit')).toBe('¥120.00');
    const points = terminal.host.ledger.balance(cardByNumber(secondCard.cardNumber).id).points;
    expect(points).toBeGreaterThan(0);
    expect(await text('close-points')).toBe(String(points));
    expect(await page.locator('[data-code="CARD_HAS_POINTS"]').textContent()).toContain(`${points} 积分`);
    expect(await page.getByTestId('close-confirm').isDisabled()).toBe(true);
    await page.getByTestId('close-points-agree').check();
    expect(await page.getByTestId('close-confirm').isDisabled()).toBe(false);
    await page.getByTestId('close-points-agree').uncheck();
    expect(await page.getByTestId('close-confirm').isDisabled()).toBe(true);
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
    const memberId = cardByNumber(secondCard.cardNumber).memberId;
    await page.getByTestId('member-tier-action').click();
    await page.getByTestId('tier-select').selectOption('tier-gold');
    // No reason, no confirming.
    expect(await page.getByTestId('tier-confirm').isDisabled()).toBe(true);
    await page.getByTestId('tier-reason').fill('长期老顾客');
    await page.getByTestId('tier-confirm').click();
    await expect.poll(() => text('profile-tier')).toBe('金卡会员');
    expect(openPromotions(terminal.host.ledger).tierOf(memberId)?.id).toBe('tier-gold');

    // A notice for each charge, as the member asks.
    expect(await page.getByTestId('notice-spend').isChecked()).toBe(false);
    await page.getByTestId('notice-spend').check();
    await page.getByTestId('notice-saved').waitFor();
    expect(terminal.host.loyalty.notices.optIn(memberId)).toMatchObject({ spend: true });

    // The statement of the new card, printed on the receipt printer.
    const statements = () =>
      terminal.host.ledger.printJobs.list({ limit: 200 }).filter((job) => job.kind === 'balance').length;
    const before = statements();
    const card = page.locator(`[data-testid="member-card"][data-card-number="${secondCard.cardNumber}"]`);
    await card.getByTestId('card-statement').click();
    await card.getByTestId('statement-print').click();
    await card.getByTestId('statement-printed').waitFor();
    expect(statements()).toBe(before + 1);
    expect(pageErrors).toEqual([]);
  });
});
