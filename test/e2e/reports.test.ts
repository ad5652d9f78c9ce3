/**
 * The manager's reports in Debian's Chromium against browser mode, over last week's generated business days
 * (shifts, top-ups, charges, voids, refunds; every day closed): the counter loads without the charts'
 * library; the reports for that week, chosen with the date range picker, show the totals the Z reports of
 * those seven days add up to, on screen, and a trend row per day; the charts draw; the daily report prints
 * without the navigation and saves as a PDF.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { type GeneratedDays, generateBusinessDays, sumFigures, toldByDay } from '../support/business-days';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { type RunningTerminal, startTerminal } from './host-fixture';
import { bodyRows, cellOf, drawnChart } from './report-reading';
import { logIn, tab } from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const ROWS = ['topUps', 'bonus', 'charges', 'refunds'] as const;
const PARTS = ['gross', 'voided', 'net'] as const;
/** The figures table's row and column words (`renderer/src/i18n/reports-messages.ts`). */
const ROW_WORDS = { topUps: '充值', bonus: '赠送金', charges: '消费', refunds: '退款' } as const;
const PART_WORDS = { gross: '原始', voided: '撤销', net: '净额' } as const;

/** Today's noon in the demo store (Asia/Shanghai, UTC+8) and the Monday of the week before it, 09:00. */
function lastWeek(): { noon: number; monday: number; days: string[] } {
  const now = new Date();
  const noon = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 4, 0, 0);
  const weekday = (new Date(noon).getUTCDay() + 6) % 7;
  const monday = noon - (weekday + 7) * DAY_MS - 3 * HOUR_MS;
  const days = Array.from({ length: 7 }, (_, i) => new Date(monday + i * DAY_MS).toISOString().slice(0, 10));
  return { noon, monday, days };
}

/** A clock the generator moves by hand, then lets run on from today's noon. */
function movableClock(start: number) {
  let base = start;
  let since: number | null = null;
  let tick = 0;
  return {
    now: () => (since === null ? base + tick++ : base + (Date.now() - since)),
    set: (at: number) => {
      base = at;
      tick = 0;
    },
    advance: (ms: number) => {
      base += ms;
    },
    runFrom: (at: number) => {
      base = at;
      since = Date.now();
    },
  };
}

/** `¥1,234.50` or `-¥0.30` back to fen. */
function fenOf(text: string | null): number {
  const match = /^(-?)¥([\d,]+)\.(\d\d)$/.exec((text ?? '').trim());
  if (match === null) throw new Error(`not an amount: ${text}`);
  const fen = Number(match[2]!.replace(/,/g, '')) * 100 + Number(match[3]);
  return match[1] === '-' ? -fen : fen;
}

type Shown = Record<string, { count: number | null; amountFen: number }>;

/** A figures table on screen (the day close's or the reports'), cell by cell: its rows and columns by name. */
async function readFigures(scope: Locator): Promise<Shown> {
  const table = scope.getByRole('table', { name: '汇总：原始、撤销、净额', exact: true });
  const shown: Shown = {};
  for (const row of ROWS) {
    for (const part of PARTS) {
      const count = await (await cellOf(table, ROW_WORDS[row], `${PART_WORDS[part]}笔数`)).textContent();
      const amount = await (await cellOf(table, ROW_WORDS[row], `${PART_WORDS[part]}金额`)).textContent();
      shown[`${row}.${part}`] = { count: count === '' ? null : Number(count), amountFen: fenOf(amount) };
    }
  }
  return shown;
}

const button = (scope: Page | Locator, name: string) => scope.getByRole('button', { name, exact: true });
const reportsScreen = () => page.getByRole('region', { name: '经营报表', exact: true });
/** One report on the reports screen, by its heading. */
const report = (name: string) => reportsScreen().getByRole('region', { name, exact: true });
/** The range the reports show, as the screen says it. */
const rangeShown = () => reportsScreen().getByRole('status').filter({ hasText: '营业日' }).textContent();

/** Picks one range of business days with the range picker's 自定义. */
async function pickRange(fromDay: string, toDay: string): Promise<void> {
  const picker = page.getByRole('group', { name: '日期范围' });
  await button(picker, '自定义').click();
  await picker.getByLabel('从', { exact: true }).fill(fromDay);
  await picker.getByLabel('到', { exact: true }).fill(toDay);
  await button(picker, '查询').click();
}

let terminal: RunningTerminal;
let browser: LaunchedChromium;
let page: Page;
let generated: GeneratedDays;
const week = lastWeek();
const requested: string[] = [];
const pageErrors: string[] = [];

describe.runIf(chromiumAvailable())('the reports in Chromium agree with the Z reports', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const clock = movableClock(week.monday - DAY_MS);
    terminal = await startTerminal({ trainingMode: true, now: clock.now });
    generated = generateBusinessDays(terminal.host.ledger, clock, {
      seed: 7_301,
      days: 7,
      first: week.monday,
      closeLast: true,
    });
    clock.runFrom(week.noon);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(terminal.server.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await terminal?.stop();
  });

  it('generated the week that is asked for, every day closed', () => {
    expect(generated.days).toEqual(week.days);
  });

  it('opens the counter without loading the charts library', async () => {
    await logIn(page, DEMO.staff.manager);
    await tab(page, '收银台').waitFor();
    expect(requested.filter((url) => /echarts/i.test(url))).toEqual([]);
  });

  it("shows, for last week picked on the range picker, the totals of that week's Z reports", async () => {
    await tab(page, '经营报表').click();
    await page.getByRole('group', { name: '日期范围' }).waitFor();
    await pickRange(week.days[0]!, week.days[6]!);
    await expect.poll(rangeShown).toContain(`${week.days[0]} 至 ${week.days[6]}`);
    const reported = await readFigures(reportsScreen());
    const trends = report('充值与消费趋势');
    expect(await bodyRows(trends.getByRole('table', { name: '充值与消费趋势' })).count()).toBe(7);
    await drawnChart(trends, '充值与消费趋势').waitFor();
    await drawnChart(report('繁忙时段（星期 × 小时）'), '繁忙时段（星期 × 小时）').waitFor();
    // The member sections follow the figures, each with its chart.
    await drawnChart(report('流失预警名单'), '流失预警名单').waitFor();
    expect(await bodyRows(report('消费排行').getByRole('table', { name: '消费排行' })).count()).toBe(4);
    expect(requested.some((url) => /echarts/i.test(url))).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/reports-week-zh-CN.png`, fullPage: true });

    // The same seven days, one Z report at a time on the day close screen.
    await tab(page, '日结').click();
    const perDay: Shown[] = [];
    for (const day of week.days) {
      await page.getByRole('combobox', { name: '营业日' }).selectOption(day);
      const zReport = page.getByRole('region', { name: `日结报表（Z） · ${day}`, exact: true });
      await zReport.waitFor();
      perDay.push(await readFigures(zReport));
    }
    const summed: Shown = {};
    for (const key of Object.keys(reported)) {
      summed[key] = {
        count: perDay[0]![key]!.count === null ? null : perDay.reduce((n, d) => n + d[key]!.count!, 0),
        amountFen: perDay.reduce((n, d) => n + d[key]!.amountFen, 0),
      };
    }
    expect(reported).toEqual(summed);

    // And both are what the counter was told, operation by operation.
    const told = sumFigures(week.days.map((day) => toldByDay(generated.told).get(day)!));
    expect(reported['charges.net']).toEqual({
      count: told.charges.net.count,
      amountFen: told.charges.net.amountFen,
    });
    expect(reported['topUps.voided']).toEqual({
      count: told.topUps.voided.count,
      amountFen: told.topUps.voided.amountFen,
    });
    expect(reported['bonus.net']!.amountFen).toBe(told.topUps.net.bonusFen);
    expect(told.charges.voided.count).toBeGreaterThan(0);
  });

  it('prints the daily report without the navigation and saves it as a PDF', async () => {
    await tab(page, '经营报表').click();
    await button(page.getByRole('group', { name: '日期范围' }), '今天').waitFor();
    await pickRange(week.days[2]!, week.days[2]!);
    await expect.poll(rangeShown).toContain(week.days[2]!);
    await button(reportsScreen(), '日报：打印 / 存为 PDF').click();
    const dailyPage = page.getByRole('article');
    await dailyPage.waitFor();
    await dailyPage.getByRole('table', { name: '收款方式（来自日结报表）' }).waitFor();
    expect(await dailyPage.getByRole('heading', { level: 1 }).textContent()).toContain(week.days[2]!);
    expect(await bodyRows(dailyPage.getByRole('table', { name: '各小时业务笔数' })).count()).toBe(24);
    expect(await dailyPage.getByText(/^生成时间：/).textContent()).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);

    // In print, the tabs and buttons leave the page (hidden, so found by role no longer) and the report stays.
    await page.emulateMedia({ media: 'print' });
    expect(await tab(page, '经营报表').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '打印 / 存为 PDF', exact: true }).isVisible()).toBe(false);
    expect(await dailyPage.isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    writeFileSync(`${SCREENSHOTS}/daily-report.pdf`, pdf);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    await page.emulateMedia({ media: 'screen' });
    expect(pageErrors).toEqual([]);
  });
});
