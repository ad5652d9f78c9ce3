import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceError } from '../../../hardware/errors';
import { interpretTrackText, SimulatedSwiper, Swiper, type SwiperMode } from '../../../hardware/swiper/index';

// Test card numbers (Luhn-valid, issued for testing by the schemes) and a cardholder name.
const PANS = ['4111111111111111', '5500005555555559', '6212345678901265'];
const NAME = 'DOE/JOHN';

function bankCard(pan: string) {
  return { track1: `B${pan}^${NAME}^2512101000000000`, track2: `${pan}=25121010000000` };
}

/** Everything that could reach a screen, a log file or a disk, as text. */
function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'trace' }, sink);
  return { logger, lines };
}

function expectNoCardData(texts: readonly string[]) {
  const all = texts.join('\n');
  expect(all.length).toBeGreaterThan(0);
  for (const pan of PANS) {
    expect(all).not.toContain(pan);
    // Nor the last digits that would identify it beyond what a receipt may show, nor the expiry/service code.
    expect(all).not.toContain(pan.slice(6, 12));
  }
  expect(all).not.toContain(NAME);
  expect(all).not.toContain('2512101');
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('bank cards swiped by mistake leave no card data behind', () => {
  for (const mode of ['keyboard', 'magtek', 'idtech'] as const satisfies readonly SwiperMode[]) {
    it(`in ${mode} mode: refused, with nothing of the card in events, errors or the log`, async () => {
      const { logger, lines } = capture();
      const device = new SimulatedSwiper({ mode });
      const swiper = new Swiper({
        id: 'till-1',
        selector: { vendorId: device.info.vendorId },
        mode,
        backend: device,
        logger,
      });
      const emitted: string[] = [];
      swiper.on('swipe', (event) => emitted.push(JSON.stringify(event)));
      swiper.on('swipe.error', (event) => emitted.push(JSON.stringify(event)));
      swiper.on('status', (event) => emitted.push(JSON.stringify(event)));
      swiper.start();

      const sent: Uint8Array[] = [];
      for (const pan of PANS) {
        const reports = device.reportsFor(bankCard(pan));
        // A damaged read of the same card too: half its reports.
        const partial = device.reportsFor(bankCard(pan)).slice(0, Math.ceil(reports.length / 2));
        for (const swipe of [reports, partial]) {
          for (const report of swipe) {
            sent.push(report);
            device.send(report);
          }
          await vi.advanceTimersByTimeAsync(1100);
        }
      }
      device.unplug();
      swiper.stop();
      logger.flush();

      const refusals = emitted.filter((line) => line.includes('CARD_IS_PAYMENT_CARD'));
      expect(refusals.length).toBeGreaterThanOrEqual(PANS.length * (mode === 'keyboard' ? 2 : 1));
      expect(emitted.some((line) => line.includes('memberNumber'))).toBe(false);
      expectNoCardData([...emitted, ...lines]);
      // The report buffers the driver received are wiped.
      expect(sent.every((report) => report.every((byte) => byte === 0))).toBe(true);
    });
  }

  it('keeps card data out of what the interpreter returns and out of configuration errors', () => {
    for (const pan of PANS) {
      const outcome = interpretTrackText(`%B${pan}^${NAME}^2512101?\n;${pan}=2512101?\n`, {
        rule: { track: 2, field: 0 },
      });
      expect(outcome).toEqual({ kind: 'refused', code: 'CARD_IS_PAYMENT_CARD' });
      expectNoCardData([JSON.stringify(outcome)]);
    }
    try {
      new Swiper({ id: 'x', selector: {}, mode: 'keyboard' });
    } catch (error) {
      expect(error).toBeInstanceOf(DeviceError);
    }
  });
});
