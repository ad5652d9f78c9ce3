/**
 * Swiper throughput: HID reports decoded per second through the whole driver (report → decoder → track
 * parsing → member rule → event), against the bare boot-keyboard decoder as the baseline.
 *
 * Swipe to paint: the counter in Chromium (browser mode, the host in this process). A simulated swiper's
 * reports go through the production driver, whose `swipe` event is handed to the host's device hub as a
 * swiper's; the clock runs from the swipe's last report to the frame that shows the member's name.
 */
import { performance } from 'node:perf_hooks';
import { BootKeyboardDecoder, SimulatedSwiper, Swiper, type SwiperMode } from '../../hardware/swiper/index';
import { typeWithTimestamps } from '../support/cdp-keys';
import { type Emit, median, progress, quantile, since } from './harness';

const CARDS = 2_000;

function memberCard(index: number) {
  const number = String(6200000000 + index);
  return { track1: `M${number}^MEMBER/TEST^`, track2: `${number}=991` };
}

/** Reports of CARDS swipes, generated once, copied per run (the driver wipes every report it decodes). */
function recording(mode: SwiperMode): { device: SimulatedSwiper; reports: Uint8Array[] } {
  const device = new SimulatedSwiper({ mode, keyboardStyle: 'press-release', terminator: 'per-swipe' });
  const reports: Uint8Array[] = [];
  for (let index = 0; index < CARDS; index += 1) reports.push(...device.reportsFor(memberCard(index)));
  return { device, reports };
}

function driverRate(mode: SwiperMode): { rate: number; reports: number } {
  const { device, reports } = recording(mode);
  const swiper = new Swiper({
    id: 'bench',
    selector: { vendorId: device.info.vendorId },
    mode,
    backend: device,
    keyboard: { endOfSwipe: 'enter' },
  });
  let swipes = 0;
  swiper.on('swipe', () => {
    swipes += 1;
  });
  swiper.start();
  const copies = reports.map((report) => report.slice());
  const start = process.hrtime.bigint();
  for (const report of copies) device.send(report);
  const ms = since(start);
  swiper.stop();
  if (swipes !== CARDS) throw new Error(`${mode}: expected ${CARDS} swipes, saw ${swipes}`);
  return { rate: (reports.length / ms) * 1000, reports: reports.length };
}

function keyboardDecodeOnlyRate(): number {
  const { reports } = recording('keyboard');
  const decoder = new BootKeyboardDecoder();
  let chars = 0;
  const count = () => {
    chars += 1;
  };
  const copies = reports.map((report) => report.slice());
  const start = process.hrtime.bigint();
  for (const report of copies) decoder.decode(report, count);
  const ms = since(start);
  if (chars === 0) throw new Error('decoder typed nothing');
  return (reports.length / ms) * 1000;
}

function best(runs: number, fn: () => number): number {
  let top = 0;
  for (let run = 0; run < runs; run += 1) top = Math.max(top, fn());
  return top;
}

export default async function (emit: Emit): Promise<void> {
  // Warm up the JIT on both paths before measuring.
  driverRate('keyboard');
  keyboardDecodeOnlyRate();

  const decodeOnly = best(5, keyboardDecodeOnlyRate);
  const keyboard = best(5, () => driverRate('keyboard').rate);
  progress(`keyboard: ${recording('keyboard').reports.length} reports for ${CARDS} swipes per run`);
  emit({
    metric: 'reports_per_s',
    value: keyboard,
    unit: 'reports/s',
    baseline: decodeOnly,
    ratio: keyboard / decodeOnly,
    goal: '>= 10000',
  });
  emit({ metric: 'decode_only_reports_per_s', value: decodeOnly, unit: 'reports/s' });
  for (const mode of ['magtek', 'idtech'] as const) {
    driverRate(mode);
    const rate = best(5, () => driverRate(mode).rate);
    emit({ metric: `${mode}_reports_per_s`, value: rate, unit: 'reports/s' });
  }
  await swipeToPaint(emit);
}

const PAINT_SWIPES = 60;

/**
 * Page script (a string: the bench runs through tsx, whose helpers do not exist in the page) that sets
 * `window.__painted` to a promise of the epoch time of the first frame showing `name` as the member: a region
 * named by that name (the member panel's heading names it), as a screen reader would find it.
 */
function watchForName(name: string): string {
  return `(() => {
    const name = ${JSON.stringify(name)};
    window.__painted = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        const shown = [...document.querySelectorAll('section[aria-labelledby]')].some(
          (region) => document.getElementById(region.getAttribute('aria-labelledby'))?.textContent === name,
        );
        if (!shown) return;
        observer.disconnect();
        // After the next animation frame's callbacks: the frame that draws the change.
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve(performance.timeOrigin + performance.now());
          channel.port2.postMessage(0);
        });
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  })()`;
}

async function swipeToPaint(emit: Emit): Promise<void> {
  const { chromiumAvailable, launchChromium } = await import('../support/chromium');
  if (!chromiumAvailable()) {
    progress('swipe_to_paint: Chromium is not installed; not measured');
    return;
  }
  const { startTerminal } = await import('../e2e/host-fixture');
  const { DEMO } = await import('../../db');
  const terminal = await startTerminal({ trainingMode: true });
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    // Registered before the app's own listeners, so it sees the swiper's Enter before the wedge takes it.
    await page.addInitScript(
      "window.__lastEnter = 0; addEventListener('keydown', (e) => { if (e.key === 'Enter') window.__lastEnter = e.timeStamp; }, true);",
    );
    await page.goto(terminal.server.url);
    await page.getByLabel('工号', { exact: true }).waitFor();
    await page.keyboard.type(DEMO.staff.cashier.code);
    await page.keyboard.press('Enter');
    await page.keyboard.type(DEMO.staff.cashier.pin);
    await page.keyboard.press('Enter');
    // The counter waits for a card.
    await page.getByLabel('也可以输入卡号后按回车').waitFor();

    // Two members' cards, swiped in turn so every swipe changes the name on screen.
    const cards = [
      { number: DEMO.cards.magstripe.cardNumber, name: DEMO.members.magstripe.name },
      { number: DEMO.cards.mifare.cardNumber, name: DEMO.members.mifare.name },
    ];

    for (const mode of ['magtek', 'keyboard'] as const) {
      const device = new SimulatedSwiper({ mode });
      const swiper = new Swiper({
        id: `bench-${mode}`,
        selector: { path: device.info.path! },
        mode,
        backend: device,
      });
      swiper.on('swipe', (event) => {
        const swipe = {
          cardNumber: event.memberNumber,
          refused: null,
          source: 'swiper' as const,
          at: Date.now(),
        };
        terminal.host.hub.emit('swipe', swipe);
      });
      swiper.start();
      const samples: number[] = [];
      for (let index = 0; index < PAINT_SWIPES + 5; index += 1) {
        const card = cards[index % 2]!;
        await page.evaluate(watchForName(card.name));
        const reports = device.reportsFor({ track1: `M${card.number}^MEMBER/DEMO^`, track2: card.number });
        for (const report of reports.slice(0, -1)) device.send(report);
        const end = performance.timeOrigin + performance.now();
        device.send(reports.at(-1)!);
        const painted = (await page.evaluate('window.__painted')) as number;
        if (index >= 5) samples.push(painted - end);
      }
      swiper.stop();
      const prefix = mode === 'magtek' ? 'swipe_to_paint' : 'keyboard_swipe_to_paint';
      progress(`${prefix}: ${samples.length} swipes through the ${mode} driver into the counter in Chromium`);
      emit({ metric: `${prefix}_median_ms`, value: median(samples), unit: 'ms' });
      emit({ metric: `${prefix}_p95_ms`, value: quantile(samples, 0.95), unit: 'ms', goal: '< 100' });
    }

    // The keyboard-wedge path: the swiper types into the page; the clock runs from its Enter key event
    // (the page's own timestamp) to the frame that shows the member, all on the page's clock.
    const cdp = await browser.context.newCDPSession(page);
    const samples: number[] = [];
    let missed = 0;
    for (let index = 0; index < PAINT_SWIPES + 5; index += 1) {
      const card = cards[index % 2]!;
      await page.evaluate(watchForName(card.name));
      // Stamped 300 ms ahead so delivery cannot open gaps in the burst; the page settles on those stamps.
      await typeWithTimestamps(cdp, `;${card.number}=991?\n`, 2, 300);
      const latency = (await page.evaluate(
        'Promise.race([window.__painted.then((t) => t - (performance.timeOrigin + window.__lastEnter)), new Promise((r) => setTimeout(() => r(-1), 3000))])',
      )) as number;
      if (latency < 0) missed += 1;
      else if (index >= 5) samples.push(latency);
    }
    progress(
      `wedge_swipe_to_paint: ${samples.length} keyboard-wedge swipes into the counter (${missed} not recognised)`,
    );
    emit({ metric: 'wedge_swipe_to_paint_median_ms', value: median(samples), unit: 'ms' });
    emit({
      metric: 'wedge_swipe_to_paint_p95_ms',
      value: quantile(samples, 0.95),
      unit: 'ms',
      goal: '< 100',
    });
  } finally {
    await browser.close();
    await terminal.stop();
  }
}
