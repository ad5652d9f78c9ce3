/**
 * The counter fits its screen, in Chromium at 1366×768 and at 1024×768: every step of every counter flow (a
 * card tapped, a top-up with its bonus quote, the shift prompt, a charge, void, refund, 提现, a new card
 * activated) shows without the window scrolling. The status bar and the tabs stay in view, the step's primary
 * button is in view and not covered, and each receipt is shown once, its QR code drawn. The other screens a
 * cashier or a manager opens fit the window too; what is long scrolls inside them.
 */
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { chromiumAvailable } from '../support/chromium';
import {
  bonusShown,
  chargeConfirmation,
  counterResult,
  logIn,
  logOut,
  memberPanel,
  openTerminalPage,
  simulatedCard,
  type TerminalPage,
  topUpConfirmation,
} from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';
const card = DEMO.cards.uid;
const manager = DEMO.staff.manager;
const newMember = { name: '周岚', phone: '13912340077', idNumber: '11010519491231002X' };
const blankCard = { uid: '04C0FFEE000177', cardNumber: '8800000000000177' };

/** The words the test finds things by, in the counter's two languages. */
const ZH = {
  preview: '小票预览',
  qr: /^小票二维码/,
  tap: '拍卡',
  simulator: '模拟器',
  keypad: '数字键盘',
  done: '完成',
  /** The field for a card number typed by hand, there while the counter waits for a card. */
  waiting: '也可以输入卡号后按回车',
};
const EN: typeof ZH = {
  preview: 'Receipt preview',
  qr: /^Receipt QR code/,
  tap: 'Tap',
  simulator: 'Simulator',
  keypad: 'Keypad',
  done: 'Done',
  waiting: 'or type the card number and press Enter',
};

/** What an operation's result is called on the counter, and the kind of operation the book keeps. */
type Outcome = { heading: string; kind: 'top_up' | 'spend' | 'void' | 'refund' | 'withdraw' };

const VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 1024, height: 768 },
];

describe.runIf(chromiumAvailable()).each(VIEWPORTS)('the counter at $width×$height', (viewport) => {
  let opened: TerminalPage;
  let page: Page;
  const size = `${viewport.width}x${viewport.height}`;

  /**
   * The window does not scroll; the header, the tabs and the step's primary button are in view. A step that
   * does not fit leaves a screenshot of itself in test-results/e2e, to see what overflowed.
   */
  async function fits(step: string, primary: Locator | null): Promise<void> {
    try {
      await checkFits(step, primary);
    } catch (error) {
      await page.screenshot({ path: `${SCREENSHOTS}/fits-${size}-${step}.png` }).catch(() => undefined);
      throw error;
    }
  }

  async function checkFits(step: string, primary: Locator | null): Promise<void> {
    // Settle the step first: a dialog's content arrives with the host's answer.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
    const window = await page.evaluate(() => {
      const root = document.scrollingElement ?? document.documentElement;
      return {
        scrollHeight: root.scrollHeight,
        scrollWidth: root.scrollWidth,
        scrollTop: root.scrollTop,
        innerHeight,
        innerWidth,
      };
    });
    expect(window.scrollHeight, `${step}: the page is taller than the window`).toBeLessThanOrEqual(
      window.innerHeight,
    );
    expect(window.scrollWidth, `${step}: the page is wider than the window`).toBeLessThanOrEqual(
      window.innerWidth,
    );
    expect(window.scrollTop, `${step}: the page scrolled`).toBe(0);
    expect(await inView(page.getByRole('banner')), `${step}: the status bar is out of view`).toBe(true);
    // The screen bar, in either language, when the role has more than one screen.
    const tabs = page.getByRole('navigation', { name: /^(功能|Screens)$/ });
    if ((await tabs.count()) > 0) {
      expect(await inView(tabs), `${step}: the tabs`).toBe(true);
    }
    if (primary !== null) {
      await primary.waitFor();
      expect(await inView(primary), `${step}: its primary button is out of view or covered`).toBe(true);
    }
  }

  /** Wholly inside the window, and what the window shows at its middle (not clipped by a scroll region). */
  function inView(locator: Locator): Promise<boolean> {
    return locator.evaluate((element) => {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) return false;
      if (box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth) return false;
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return hit !== null && (hit === element || element.contains(hit));
    });
  }

  /** One receipt on the screen, and its QR code drawn: the operation id, module for module. */
  async function oneReceipt(operationId: string | null, words = ZH): Promise<void> {
    const previews = page.getByRole('figure', { name: words.preview });
    await expect.poll(() => previews.count()).toBe(1);
    const text = (await previews.textContent()) ?? '';
    expect(text).not.toContain('[QR');
    const qr = previews.getByRole('img', { name: words.qr });
    expect(await qr.count()).toBe(1);
    const drawn = await qr.evaluate((element) => ({
      tag: element.tagName.toLowerCase(),
      payload: element.getAttribute('data-payload') ?? '',
      viewBox: element.getAttribute('viewBox') ?? '',
      path: element.querySelector('path')?.getAttribute('d') ?? '',
    }));
    expect(['svg', 'canvas', 'img']).toContain(drawn.tag);
    if (operationId !== null) expect(drawn.payload).toBe(operationId);
    // The drawing has the code's size (two modules of margin each side) and one unit of ink per dark module.
    const { modules } = QRCode.create(drawn.payload, { errorCorrectionLevel: 'M' });
    expect(drawn.viewBox).toBe(`0 0 ${modules.size + 4} ${modules.size + 4}`);
    const ink = [...drawn.path.matchAll(/h(\d+)/g)].reduce((sum, run) => sum + Number(run[1]), 0);
    expect(ink).toBe(modules.data.reduce((sum, dark) => sum + dark, 0));
  }

  const button = (name: string, scope: Page | Locator = page) =>
    scope.getByRole('button', { name, exact: true });

  /** The counter waiting for a card: its field for a card number typed by hand. */
  const waitingForCard = (words = ZH) => page.getByLabel(words.waiting);

  async function tapCard(words = ZH): Promise<void> {
    await button(words.tap, simulatedCard(page, card.cardNumber, words.simulator)).click();
    await memberPanel(page, DEMO.members.uid.name).waitFor();
  }

  async function keypad(keys: string, words = ZH): Promise<void> {
    const pad = page.getByRole('group', { name: words.keypad });
    for (const key of keys) await button(key, pad).click();
  }

  /** The operation the book committed last, which the result on the screen is about. */
  function lastOperation(kind: Outcome['kind']): string {
    const [last] = opened.terminal.host.ledger.operationsOf({ order: 'newest_first', limit: 1 });
    expect(last?.kind).toBe(kind);
    return last!.operationId;
  }

  /** The result of an operation: its heading, Done in view, one receipt with the operation's QR code. */
  async function result(step: string, { heading, kind }: Outcome, words = ZH): Promise<void> {
    await counterResult(page, heading).waitFor();
    await fits(step, button(words.done));
    await oneReceipt(lastOperation(kind), words);
    await button(words.done).click();
    await waitingForCard(words).waitFor();
  }

  async function approve(dialog: Locator): Promise<void> {
    await dialog.getByLabel('店长工号').fill(manager.code);
    await dialog.getByLabel('店长密码').fill(manager.pin);
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    opened = await openTerminalPage();
    page = opened.page;
    await page.setViewportSize(viewport);
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await opened?.stop();
  });

  it('logs in and waits for a card', async () => {
    await page.getByLabel('工号', { exact: true }).waitFor();
    await fits('login', button('登录'));
    await logIn(page, DEMO.staff.cashier);
    await fits('waiting', waitingForCard());
  });

  it('shows the member when the card is tapped, and the top-up with its bonus quote', async () => {
    await tapCard();
    await fits('member', button('↵ 消费'));
    await keypad('100');
    await button('+ 充值').click();
    // The bonus is quoted by the host: ¥20.00 under 充100送20.
    await expect.poll(() => bonusShown(page).textContent()).toContain('¥20.00');
    await fits('top-up', button('确认', topUpConfirmation(page)));
  });

  it('offers to open the shift the cash top-up needs, over the counter, then shows its result', async () => {
    await button('确认', topUpConfirmation(page)).click();
    const prompt = page.getByRole('dialog', { name: '本机还没有开班' });
    await prompt.waitFor();
    await fits('shift-prompt', button('开班并继续', prompt));
    await prompt.getByLabel('¥100.00').fill('5');
    await button('开班并继续', prompt).click();
    await result('top-up-result', { heading: '充值成功', kind: 'top_up' });
  });

  it('charges the card', async () => {
    await tapCard();
    await keypad('30.5');
    await button('↵ 消费').click();
    const dialog = chargeConfirmation(page);
    await dialog.waitFor();
    await fits('charge', button('确认', dialog));
    await button('确认', dialog).click();
    await result('charge-result', { heading: '消费成功', kind: 'spend' });
  });

  it('voids the last operation with a manager', async () => {
    await tapCard();
    await button('撤销上一笔').click();
    const dialog = page.getByRole('form', { name: '撤销上一笔交易' });
    await dialog.waitFor();
    await fits('void', button('确认', dialog));
    await approve(dialog);
    await button('确认', dialog).click();
    await result('void-result', { heading: '撤销成功', kind: 'void' });
  });

  it('refunds part of a charge', async () => {
    await tapCard();
    await keypad('20');
    await button('↵ 消费').click();
    await button('确认', chargeConfirmation(page)).click();
    await counterResult(page, '消费成功').waitFor();
    await button('完成').click();
    await tapCard();
    const line = page
      .getByRole('region', { name: '最近交易' })
      .getByRole('listitem')
      .filter({ hasText: '¥20.00' });
    await button('退款', line).click();
    const dialog = page.getByRole('form', { name: '消费退款' });
    await dialog.waitFor();
    await fits('refund', button('确认', dialog));
    await dialog.getByLabel('退款金额（元）').fill('5');
    await approve(dialog);
    await button('确认', dialog).click();
    await result('refund-result', { heading: '退款成功', kind: 'refund' });
  });

  it('pays principal out (提现)', async () => {
    await tapCard();
    await keypad('10');
    await button('提现').click();
    const dialog = page.getByRole('form', { name: '提现（退本金）' });
    await dialog.waitFor();
    await fits('withdraw', button('确认', dialog));
    await approve(dialog);
    await button('确认', dialog).click();
    await result('withdraw-result', { heading: '提现成功', kind: 'withdraw' });
  });

  it('activates a new card step by step, and shows its slip once', async () => {
    await button('开卡', page.getByRole('navigation', { name: '功能' })).click();
    const forward = button('下一步');
    await fits('activation-member', forward);
    await page.getByLabel('姓名').fill(newMember.name);
    await page.getByLabel('手机').fill(newMember.phone);
    await page.getByLabel(/身份证号/).fill(newMember.idNumber);
    await page.getByLabel('会员已阅读并同意个人信息处理说明').check();
    await forward.click();
    await fits('activation-identity', forward);
    await page.getByLabel('我已核验会员身份证件原件').check();
    await forward.click();
    await fits('activation-card', forward);
    await opened.terminal.host.simulator!.presentCard(blankCard.uid);
    await page.getByText(`已读取卡片（UID ${blankCard.uid}）`).waitFor();
    await page.getByLabel('卡面印刷卡号').fill(blankCard.cardNumber);
    await forward.click();
    await fits('activation-password', button('跳过'));
    await button('跳过').click();
    await page.getByLabel('充值金额（元）').fill('500');
    // ¥500 reaches the second step of 充值送: ¥120, quoted by the host before paying.
    await page.getByText('赠送 ¥120.00（').waitFor();
    await fits('activation-top-up', forward);
    await forward.click();
    await fits('activation-confirm', button('确认开卡'));
    await button('确认开卡').click();
    await page.getByText('开卡完成').waitFor();
    await fits('activation-done', button('继续开卡'));
    await oneReceipt(null);
  });

  it("fits the manager's screens: members, cards, shift, day close, reports, devices, rules", async () => {
    await logOut(page);
    await logIn(page, manager);
    const tabs = page.getByRole('navigation', { name: '功能' });
    await fits('manager-counter', null);
    await button('会员', tabs).click();
    const search = page.getByLabel('输入手机号、姓名或卡号，或直接拍卡/刷卡');
    await search.fill(DEMO.members.uid.phone);
    await search.press('Enter');
    await memberPanel(page, DEMO.members.uid.name).waitFor();
    await fits('members', null);
    for (const [tab, step] of [
      ['卡务', 'cards'],
      ['交接班', 'shift'],
      ['日结', 'day-close'],
      ['经营报表', 'reports'],
      ['设备', 'devices'],
      ['充值规则', 'rules'],
    ] as const) {
      await button(tab, tabs).click();
      await expect.poll(() => button(tab, tabs).getAttribute('aria-current')).toBe('page');
      await fits(step, null);
    }
  });

  it('fits in English, whose words are longer', async () => {
    await button('English').click();
    await button('Counter', page.getByRole('navigation', { name: 'Screens' })).click();
    await tapCard(EN);
    await fits('member-en', button('↵ Charge'));
    await keypad('5', EN);
    await button('↵ Charge').click();
    const dialog = page.getByRole('form', { name: 'Confirm charge' });
    await dialog.waitFor();
    await fits('charge-en', button('Confirm', dialog));
    await button('Confirm', dialog).click();
    await result('charge-result-en', { heading: 'Charged', kind: 'spend' }, EN);
    await button('中文').click();
  });

  it('had no page errors', () => {
    expect(opened.pageErrors).toEqual([]);
  });
});
