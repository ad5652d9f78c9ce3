/**
 * One Chromium page on a fresh terminal (`host-fixture.ts`), for e2e tests that log staff in and out at the
 * counter between steps. Page errors are collected so a test can insist there were none.
 */
import type { Locator, Page } from 'playwright-core';
import { type LaunchedChromium, launchChromium } from '../support/chromium';
import { type RunningTerminal, startTerminal } from './host-fixture';

export interface TerminalPage {
  terminal: RunningTerminal;
  page: Page;
  pageErrors: string[];
  stop(): Promise<void>;
}

/** The real book (not training), so what the screens change is what the host keeps. */
export async function openTerminalPage(): Promise<TerminalPage> {
  const terminal = await startTerminal({ trainingMode: false });
  let browser: LaunchedChromium | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(terminal.server.url);
    const opened = browser;
    return {
      terminal,
      page,
      pageErrors,
      stop: async () => {
        await opened.close();
        await terminal.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await terminal.stop();
    throw error;
  }
}

/** Fills in staff number and PIN and submits; the caller checks what follows (a refusal, say). */
export async function submitLogin(page: Page, code: string, pin: string): Promise<void> {
  await page.getByLabel('工号', { exact: true }).fill(code);
  await page.getByLabel('密码', { exact: true }).fill(pin);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

export async function logIn(page: Page, staff: { code: string; pin: string; name: string }): Promise<void> {
  await submitLogin(page, staff.code, staff.pin);
  // The status bar names who is logged in (waited for without `expect`, so a `beforeAll` can log in too).
  await page.getByRole('banner').filter({ hasText: staff.name }).waitFor();
}

/** A tab of the screen bar, by its Chinese name. */
export function tab(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: '功能' }).getByRole('button', { name, exact: true });
}

/** Logs out with the status bar's button (its Chinese label: these tests run in Chinese). */
export async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出' }).click();
  await page.getByLabel('工号', { exact: true }).waitFor();
}

/** The value of a named fact (`Fact` in renderer/src/components) within `scope`, as the screen shows it. */
export async function factOf(scope: Page | Locator, name: string): Promise<string> {
  return (
    (await scope.getByRole('group', { name, exact: true }).getByRole('definition').first().textContent()) ??
    ''
  );
}

/** A card on the simulator panel (named in the screen's language), by its number's last four digits. */
export function simulatedCard(page: Page, cardNumber: string, panel = '模拟器'): Locator {
  return page
    .getByRole('complementary', { name: panel })
    .getByRole('listitem')
    .filter({ hasText: `· ${cardNumber.slice(-4)}` });
}

/** The member beside the keypad: a region named by the member's name. */
export function memberPanel(page: Page, name: string): Locator {
  return page.getByRole('region', { name, exact: true });
}

/** Taps a card on the simulator panel and waits for its member beside the keypad. */
export async function tapSimulatedCard(page: Page, cardNumber: string, memberName: string): Promise<void> {
  await simulatedCard(page, cardNumber).getByRole('button', { name: '拍卡', exact: true }).click();
  await memberPanel(page, memberName).waitFor();
}

/** The counter waiting for a card, found by its card-number field. */
export function waitingForCard(page: Page): Locator {
  return page.getByLabel('也可以输入卡号后按回车');
}

/** The amount keyed, on the counter or the confirmation it opened: an output named 金额. */
export function amountShown(scope: Page | Locator): Locator {
  return scope.getByRole('status', { name: '金额', exact: true });
}

/** Types an amount on the physical keyboard and waits until the counter shows it as money. */
export async function typeAmount(page: Page, keys: string, shown: string): Promise<void> {
  await page.keyboard.type(keys);
  await amountShown(page).filter({ hasText: shown }).waitFor();
}

/** The receipt beside a result, line for line as the printer has it. */
export async function receiptShown(page: Page): Promise<string> {
  return (await page.getByRole('figure', { name: '小票预览' }).first().textContent()) ?? '';
}

/** The charge's confirmation on the counter: a form named by its title. */
export function chargeConfirmation(page: Page): Locator {
  return page.getByRole('form', { name: '确认消费', exact: true });
}

/** The top-up's confirmation on the counter: a region named by its title. */
export function topUpConfirmation(page: Page): Locator {
  return page.getByRole('region', { name: '确认充值', exact: true });
}

/** The bonus the top-up's quote gives, as its confirmation says it ('—' when the quote was refused). */
export function bonusShown(page: Page): Locator {
  return topUpConfirmation(page).getByRole('status', { name: '赠送', exact: true });
}

/** An operation's result on the counter, by its title (消费成功, 充值成功, 退款成功, …). */
export function counterResult(page: Page, title: string): Locator {
  return page.getByRole('region', { name: title, exact: true });
}
