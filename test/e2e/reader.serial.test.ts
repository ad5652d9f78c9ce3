/**
 * A secured member card on a real PC/SC reader, seen by the cashier in Chromium: the system's pcscd with
 * Debian's vpcd driver, the host composed with the store's hardware (the pcsclite transport, not training
 * mode), and a MIFARE Classic card issued with this terminal's chain keys in the vpcd slot. The member panel
 * shows its member; a card issued by another chain's keys is refused as not issued here.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../db';
import { createHost, type Host } from '../../electron/host/compose';
import { Session } from '../../electron/host/session';
import { ensureRendererBuilt } from '../../electron/launch/renderer-build';
import { startWebServer, type WebServer } from '../../electron/transports/web-server';
import {
  type ChainKeys,
  directSession,
  fromHex,
  issueSecuredClassic,
  VirtualClassicCard,
  VpcdCardSlot,
} from '../../hardware/index';
import { chromiumAvailable, type LaunchedChromium, launchChromium } from '../support/chromium';
import { type PcscdHandle, startPcscd } from '../support/pcscd';

const SCREENSHOTS = 'test-results/e2e';
const READER = 'Virtual PCD 00 00';
const cashier = DEMO.staff.cashier;
const member = DEMO.members.mifare;
const securedCard = DEMO.cards.mifare;

let pcscd: PcscdHandle;
let dataDir: string;
let host: Host;
let server: WebServer;
let browser: LaunchedChromium;
let page: Page;
const slot = new VpcdCardSlot({ slot: 0 });

async function issued(uid: string, cardNumber: string, keys: ChainKeys, sector: number) {
  const card = new VirtualClassicCard('mifare-classic-1k', fromHex(uid));
  await issueSecuredClassic(directSession(card), { keys, sector, cardNumber });
  return card;
}

/** Puts a card on the vpcd reader and waits until the host has read it. */
async function tap(card: VirtualClassicCard, uid: string) {
  const presented = host.hub.next(
    'card.presented',
    (event) => event.uid === uid && event.source === 'reader',
  );
  await slot.insert(card);
  return presented;
}

async function lift(uid: string) {
  const removed = host.hub.next('card.removed', (event) => event.uid === uid || event.uid === '');
  slot.remove();
  await removed;
}

describe.runIf(chromiumAvailable())('a secured card on a PC/SC reader at the counter', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const staticDir = await ensureRendererBuilt();
    pcscd = await startPcscd();
    dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-reader-'));
    host = createHost({ dataDir, hardware: true });
    server = await startWebServer({ api: host.api, hub: host.hub, logger: host.logger, staticDir });
    const connected = () => host.hub.deviceList().some((d) => d.device === READER && d.state === 'connected');
    if (!connected()) {
      await host.hub.next('device.status', () => connected());
    }
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(server.url);
    await page.getByTestId('login-staff').waitFor();
    await page.keyboard.type(cashier.code);
    await page.keyboard.press('Enter');
    await page.keyboard.type(cashier.pin);
    await page.keyboard.press('Enter');
    await page.getByTestId('waiting').waitFor();
  });

  afterAll(async () => {
    slot.remove();
    await slot.close();
    await browser?.close();
    await server?.close();
    await host?.close();
    await pcscd?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs as the store terminal, not in training mode, with the pcscd reader connected', async () => {
    const session = new Session('e2e');
    await host.api.call(session, 'session.login', { staffNo: cashier.code, pin: cashier.pin });
    const info = await host.api.call(session, 'terminal.info', {});
    expect(info).toMatchObject({ ok: true, value: { trainingMode: false } });
    expect(host.hub.deviceList()).toContainEqual({ device: READER, kind: 'reader', state: 'connected' });
  });

  it("shows the member of a card issued with this terminal's chain keys", async () => {
    const uid = '04C0FFEE123456';
    const { keys, sector } = host.cardSecurity;
    const presented = await tap(await issued(uid, securedCard.cardNumber, keys, sector), uid);
    expect(presented).toMatchObject({ cardNumber: securedCard.cardNumber, reader: READER });
    expect(presented.refused).toBeUndefined();
    await expect
      .poll(() => page.getByTestId('member-name').textContent(), { timeout: 10_000 })
      .toBe(member.name);
    await page.screenshot({ path: `${SCREENSHOTS}/reader-secured-card.png`, fullPage: true });
    await lift(uid);
  });

  it('refuses a card issued by another chain, saying it was not issued here', async () => {
    const uid = '04BADC0FFEE001';
    const otherChain: ChainKeys = {
      chainId: host.cardSecurity.keys.chainId,
      masterKey: randomBytes(32),
      chainSecret: randomBytes(32),
    };
    const presented = await tap(
      await issued(uid, securedCard.cardNumber, otherChain, host.cardSecurity.sector),
      uid,
    );
    expect(presented).toMatchObject({ refused: 'CARD_FOREIGN' });
    expect(presented.cardNumber).toBeUndefined();
    const note = page.locator('.error-note');
    await expect.poll(() => note.getAttribute('data-code'), { timeout: 10_000 }).toBe('CARD_FOREIGN');
    expect(await note.textContent()).toBe('这张卡不是本店发行的会员卡。');
    await page.screenshot({ path: `${SCREENSHOTS}/reader-foreign-card.png`, fullPage: true });
    await lift(uid);
  });
});
