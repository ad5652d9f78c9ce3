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

/**
 * A card's line on the simulator panel (demo and training books), with its 拍卡 and 刷卡 buttons; the line shows
 * the last four digits of the card's number. `panel` is the panel's name in the screen's language.
 */
export function simulatedCard(page: Page, cardNumber: string, panel = '模拟器'): Locator {
  return page
    .getByRole('complementary', { name: panel })
    .getByRole('listitem')
    .filter({ hasText: cardNumber.slice(-4) });
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
