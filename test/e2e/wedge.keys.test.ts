/**
 * The keyboard-wedge detector in Chromium, fed by the browser's own input pipeline. Keys are injected
 * through CDP with explicit timestamps (test/support/cdp-keys), so the gaps the detector sees are exactly
 * the ones written here, whatever the load on the machine running the test: a swipe typed at a swiper's pace is taken out of the
 * focused field and handed over; a person's typing, however it starts, reaches the field and the page's key
 * handlers unchanged.
 */
import { build } from 'esbuild';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { typeWithTimestamps } from '../support/cdp-keys';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';

let browser: LaunchedChromium;
let page: Page;
let cdp: CDPSession;
let wedgeScript: string;

const PAGE = `<!doctype html><html><body>
  <input id="field" autocomplete="off">
  <script>
    window.swipes = [];
    window.refusals = [];
    window.seenKeys = [];
    document.getElementById('field').addEventListener('keydown', (event) => window.seenKeys.push(event.key));
  </script>
</body></html>`;

function typeAt(text: string, gapMs: number | ((index: number) => number)): Promise<number> {
  return typeWithTimestamps(cdp, text, gapMs);
}

/**
 * Waits until the detector's timer has had its say about the last key typed: keys carry timestamps ahead of
 * the clock, so that is a little after the last key's time (the epoch ms `typeAt` returns), not after a fixed wait.
 */
async function settle(lastKeyAt: number) {
  await page.waitForTimeout(Math.max(0, lastKeyAt - Date.now()) + 200);
}

async function state() {
  return (await page.evaluate(
    '({ value: document.getElementById("field").value, swipes: window.swipes, seenKeys: window.seenKeys, refusals: window.refusals })',
  )) as { value: string; swipes: string[]; seenKeys: string[]; refusals: string[] };
}

describe.runIf(chromiumAvailable())('keyboard-wedge detection in Chromium', () => {
  beforeAll(async () => {
    const bundle = await build({
      entryPoints: ['renderer/src/wedge/index.ts'],
      bundle: true,
      format: 'iife',
      globalName: 'Wedge',
      write: false,
      target: 'es2022',
    });
    wedgeScript = bundle.outputFiles[0]!.text;
    browser = await launchChromium({ locale: 'en-US', own: true });
    page = await browser.context.newPage();
    cdp = await browser.context.newCDPSession(page);
  });

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    await page.setContent(PAGE);
    await page.addScriptTag({ content: wedgeScript });
    await page.evaluate(
      'Wedge.attachWedge(window, (tracks) => window.swipes.push(tracks), { onRefused: (code) => window.refusals.push(code) })',
    );
    await page.focus('#field');
  });

  it('takes a swipe typed at a swiper pace out of the focused field and hands over the tracks', async () => {
    const last = await typeAt('%M6200123456^ZHANG/SAN^?\n;6200123456=991?\n', 2);
    await settle(last);
    const seen = await state();
    expect(seen.swipes).toEqual(['%M6200123456^ZHANG/SAN^?\n;6200123456=991?']);
    expect(seen.value).toBe('');
    // Shift alone types nothing, so it is let through; every character key was kept from the page.
    expect(seen.seenKeys.filter((key) => key !== 'Shift')).toEqual([]);
  });

  it('gives a person typing the same characters every key, in order, in the field and to key handlers', async () => {
    const last = await typeAt(';6200123456?\n', 45);
    await settle(last);
    const seen = await state();
    expect(seen.swipes).toEqual([]);
    expect(seen.value).toBe(';6200123456?');
    expect(seen.seenKeys.filter((key) => key !== 'Shift').join('')).toBe(';6200123456?Enter');
  });

  it('passes keys that cannot start a swipe straight through, "+" included', async () => {
    await typeAt('100+', 2);
    const seen = await state();
    expect(seen.value).toBe('100+');
    expect(seen.seenKeys.filter((key) => key !== 'Shift')).toEqual(['1', '0', '0', '+']);
  });

  it('returns a lone held "%" to the field once the pause shows it was typed', async () => {
    const last = await typeAt('%', 0);
    await settle(last);
    await typeAt('x', 0);
    const seen = await state();
    expect(seen.value).toBe('%x');
    expect(seen.seenKeys.filter((key) => key !== 'Shift')).toEqual(['%', 'x']);
  });

  describe("a bank card at a swiper's pace, in a text field", () => {
    const pan = '4111111111111111';
    const track2 = `;${pan}=25121010000000000`;

    it('drops track 2 that comes without its end sentinel, keeps its Enter from the page, and says so', async () => {
      const last = await typeAt(`${track2}\n`, 3);
      await settle(last);
      const seen = await state();
      expect(seen.value).toBe('');
      expect(seen.swipes).toEqual([]);
      expect(seen.refusals).toEqual(['CARD_IS_PAYMENT_CARD']);
      expect(seen.seenKeys.filter((key) => key !== 'Shift')).toEqual([]);
    });

    // A pause right after the sentinel, inside the number, at the separator, before the end sentinel and Enter.
    for (const position of [1, 2, 9, 17, 18, track2.length, track2.length + 1]) {
      it(`drops track 2 broken by a pause before character ${position}; no digit reaches the field`, async () => {
        const text = `${track2}?\n`;
        const last = await typeAt(text, (index) => (index === position - 1 ? 150 : 3));
        await settle(last);
        const seen = await state();
        expect(seen.value.replace(/^;/, '')).toBe('');
        expect(seen.swipes).toEqual([]);
        expect(seen.refusals.length).toBeGreaterThan(0);
        expect(seen.seenKeys).not.toContain('Enter');
        expect(seen.seenKeys.some((key) => /[0-9=]/.test(key))).toBe(false);
      });
    }
  });

  it('stops watching when detached', async () => {
    await page.setContent(PAGE);
    await page.addScriptTag({ content: wedgeScript });
    await page.evaluate('Wedge.attachWedge(window, (tracks) => window.swipes.push(tracks))()');
    await page.focus('#field');
    await settle(await typeAt(';6200123456?\n', 2));
    const seen = await state();
    expect(seen.swipes).toEqual([]);
    expect(seen.value).toBe(';6200123456?');
  });
});
