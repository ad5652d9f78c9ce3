/**
 * The manager's reports in Debian's Chromium against browser mode, over last week's generated business days
 * (shifts, top-ups, charges, voids, refunds; every day closed): the counter loads without the charts'
 * library; the reports for that week, chosen with the date range picker, show the totals the Z reports of
 * those seven days add up to, on screen, and a trend row per day; the charts draw; the daily report prints
 * without the navigation and saves as a PDF.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { type GeneratedDays, generateBusinessDays, sumFigures, toldByDay } from '../support/business-days';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { type RunningTerminal, startTerminal } from './host-fixture';
import { logIn } from './terminal-page';

const SCREENSHOTS = 'test-results/e2e';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const ROWS = ['topUps', 'bonus', 'charges', 'refunds'] as const;
const PARTS = ['gross', 'voided', 'net'] as const;

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

/** A figures table on screen (the day close's or the reports'), cell by cell. */
async function readFigures(page: Page, testId: string): Promise<Shown> {
  const shown: Shown = {};
  for (const row of ROWS) {
    for (const part of PARTS) {
      const count = await page.getByTestId(`${testId}-${row}-${part}-count`).textContent();
      const amount = await page.getByTestId(`${testId}-${row}-${part}-amount`).textContent();
      shown[`${row}.${part}`] = { count: count === '' ? null : Number(count), amountFen: fenOf(amount) };
    }
  }
  return shown;
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
    await page.getByTestId('nav-counter').waitFor();
    expect(requested.filter((url) => /echarts/i.test(url))).toEqual([]);
  });

  it("shows, for last week picked on the range picker, the totals of that week's Z reports", async () => {
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('range-picker').waitFor();
    await page.getByTestId('range-custom').click();
    await page.getByTestId('range-from').fill(week.days[0]!);
    await page.getByTestId('range-to').fill(week.days[6]!);
    await page.getByTestId('range-apply').click();
    await expect
      .poll(() => page.getByTestId('reports-range').textContent())
      .toContain(`${week.days[0]} 至 ${week.days[6]}`);
    const reported = await readFigures(page, 'report-totals-table');
    expect(await page.getByTestId('report-trends-row').count()).toBe(7);
    await page.locator('[data-testid="chart-trends"][data-drawn="true"]').waitFor();
    await page.locator('[data-testid="chart-heatmap"][data-drawn="true"]').waitFor();
    // The member sections follow the figures, each with its chart.
    await page.locator('[data-testid="chart-churn"][data-drawn="true"]').waitFor();
    expect(await page.getByTestId('report-top-row').count()).toBe(4);
    expect(requested.some((url) => /echarts/i.test(url))).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/reports-week-zh-CN.png`, fullPage: true });

    // The same seven days, one Z report at a time on the day close screen.
    await page.getByTestId('nav-day-close').click();
    const perDay: Shown[] = [];
    for (const day of week.days) {
      await page.getByTestId('day-pick').selectOption(day);
      await expect.poll(() => page.getByTestId('z-report').locator('h2').textContent()).toContain(day);
      perDay.push(await readFigures(page, 'z-figures'));
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
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('range-today').waitFor();
    await page.getByTestId('range-custom').click();
    await page.getByTestId('range-from').fill(week.days[2]!);
    await page.getByTestId('range-to').fill(week.days[2]!);
    await page.getByTestId('range-apply').click();
    await expect.poll(() => page.getByTestId('reports-range').textContent()).toContain(week.days[2]!);
    await page.getByTestId('reports-daily').click();
    await page.getByTestId('daily-page').waitFor();
    await page.getByTestId('daily-tenders').waitFor();
    expect(await page.getByTestId('daily-page').locator('h1').textContent()).toContain(week.days[2]!);
    expect(await page.getByTestId('daily-hours').locator('tbody tr').count()).toBe(24);
    expect(await page.getByTestId('daily-generated').textContent()).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);

    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('nav-reports').isVisible()).toBe(false);
    expect(await page.getByTestId('daily-print').isVisible()).toBe(false);
    expect(await page.getByTestId('daily-page').isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    writeFileSync(`${SCREENSHOTS}/daily-report.pdf`, pdf);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    await page.emulateMedia({ media: 'screen' });
    expect(pageErrors).toEqual([]);
  });
});
