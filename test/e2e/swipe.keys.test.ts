/**
 * Swiping member cards at the counter in Chromium (browser mode, the host in this process): through the
 * HID path (a swiper's reports into the production driver, joined to the host's hub) and through the
 * keyboard-wedge path (a swiper the OS owns as a keyboard, typing into the page). A bank card is refused on
 * both, and afterwards nothing in the terminal's data directory (database, WAL, log, audit trail) holds it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { joinSwiper } from '../../electron/host/devices/swipers';
import { SimulatedSwiper, Swiper } from '../../hardware/swiper/index';
import { typeWithTimestamps } from '../support/cdp-keys';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { type RunningTerminal, startTerminal } from './host-fixture';

// Scheme test card numbers (Luhn-valid) and a cardholder name.
const PANS = ['4111111111111111', '5500005555555559'];
const HOLDER = 'DOE/JOHN';
const bankTracks = (pan: string) => ({
  track1: `B${pan}^${HOLDER}^2512101000000000`,
  track2: `${pan}=25121010000000`,
});

let terminal: RunningTerminal;
let browser: LaunchedChromium;
let page: Page;
let cdp: CDPSession;
let device: SimulatedSwiper;
let swiper: Swiper;
let leave: () => void;

/** The counter's card-number field, there while it waits for a card. */
const cardNumberField = () => page.getByLabel('也可以输入卡号后按回车');

/** The member beside the keypad, named by the member's name. */
async function memberShown(name: string) {
  await page.getByRole('region', { name, exact: true }).waitFor({ timeout: 15_000 });
}

/** A refusal in words; its code is kept beside the words. */
async function refusalShown(code: string) {
  await expect
    .poll(() => page.getByRole('alert').getAttribute('data-code', { timeout: 15_000 }), {
      timeout: 15_000,
    })
    .toBe(code);
}

async function backToWaiting() {
  await page.keyboard.press('Escape');
  await cardNumberField().waitFor();
}

/** Every byte under a directory, as latin1 text, so ASCII card data shows wherever it landed. */
function everythingUnder(dir: string): string {
  let out = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    out += statSync(path).isDirectory() ? everythingUnder(path) : readFileSync(path).toString('latin1');
  }
  return out;
}

describe.runIf(chromiumAvailable())('swiping member cards at the counter', () => {
  beforeAll(async () => {
    terminal = await startTerminal({ trainingMode: true });
    // A second, HID-mode swiper joined to the hub the way the host joins a paired one.
    device = new SimulatedSwiper({ mode: 'magtek' });
    swiper = new Swiper({
      id: 'Counter swiper',
      selector: { path: device.info.path! },
      mode: 'magtek',
      backend: device,
    });
    leave = joinSwiper(swiper, terminal.host.hub, { source: 'swiper' });
    swiper.start();

    browser = await launchChromium({ own: true });
    page = await browser.context.newPage();
    cdp = await browser.context.newCDPSession(page);
    await page.goto(terminal.server.url);
    await page.getByLabel('工号', { exact: true }).waitFor();
    await page.keyboard.type(DEMO.staff.cashier.code);
    await page.keyboard.press('Enter');
    await page.keyboard.type(DEMO.staff.cashier.pin);
    await page.keyboard.press('Enter');
    await cardNumberField().waitFor();
  });

  afterAll(async () => {
    leave?.();
    swiper?.stop();
    await browser?.close();
    await terminal?.stop();
  });

  it('shows the member when a card is swiped through a HID swiper', async () => {
    device.swipe({
      track1: `M${DEMO.cards.magstripe.cardNumber}^ZHAO/MIN^`,
      track2: DEMO.cards.magstripe.cardNumber,
    });
    await memberShown(DEMO.members.magstripe.name);
    await backToWaiting();
  });

  it('shows the member when a keyboard-wedge swiper types the card, and keeps its keys out of the field', async () => {
    await cardNumberField().focus();
    await typeWithTimestamps(cdp, `;${DEMO.cards.magstripe.cardNumber}=991?\n`, 2);
    await memberShown(DEMO.members.magstripe.name);
    await backToWaiting();
    expect(await cardNumberField().inputValue()).toBe('');
  });

  it('leaves a cashier typing the card number alone', async () => {
    await cardNumberField().focus();
    await typeWithTimestamps(cdp, `${DEMO.cards.mifare.cardNumber}\n`, 60, 0);
    await memberShown(DEMO.members.mifare.name);
    await backToWaiting();
  });

  it('refuses bank cards on both paths and keeps their data off the disk', async () => {
    const member = {
      track1: `M${DEMO.cards.magstripe.cardNumber}^ZHAO/MIN^`,
      track2: DEMO.cards.magstripe.cardNumber,
    };
    for (const pan of PANS) {
      const tracks = bankTracks(pan);
      // Each refusal follows a member on screen, so the refusal seen is the one this swipe caused.
      device.swipe(member);
      await memberShown(DEMO.members.magstripe.name);
      device.swipe(tracks);
      await refusalShown('CARD_IS_PAYMENT_CARD');

      device.swipe(member);
      await memberShown(DEMO.members.magstripe.name);
      await typeWithTimestamps(cdp, `%${tracks.track1}?\n;${tracks.track2}?\n`, 2);
      await refusalShown('CARD_IS_PAYMENT_CARD');
      await cardNumberField().waitFor();
      expect(await cardNumberField().inputValue()).toBe('');
    }
    // Let the log and the ledger write what they were going to write.
    await page.waitForTimeout(300);
    const onDisk = everythingUnder(terminal.dataDir);
    // The scan does see what the terminal stores: the member cards' numbers are there.
    expect(onDisk).toContain(DEMO.cards.magstripe.cardNumber);
    for (const pan of PANS) {
      expect(onDisk).not.toContain(pan);
      expect(onDisk).not.toContain(pan.slice(0, 12));
    }
    expect(onDisk).not.toContain(HOLDER);
    const logged = readFileSync(terminal.host.logFile, 'utf8');
    expect(logged).not.toContain(PANS[0]);
    expect(await page.content()).not.toContain(PANS[0]);
  });
});
