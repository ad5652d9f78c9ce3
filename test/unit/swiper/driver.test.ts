import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceError } from '../../../hardware/errors';
import {
  type KeyboardFraming,
  SimulatedSwiper,
  type SwipeErrorEvent,
  type SwipeEvent,
  Swiper,
  type SwiperMode,
  type SwiperStatusEvent,
} from '../../../hardware/swiper/index';

const memberCard = { track1: 'M6200123456^ZHANG/SAN^', track2: '6200123456=991' };
const FIXTURES = join(import.meta.dirname, '../../fixtures/swiper');

interface Fixture {
  description: string;
  mode: SwiperMode;
  framing?: KeyboardFraming;
  reports: string[];
  expect:
    | { event: 'swipe'; memberNumber: string; maskedTrack: string }
    | { event: 'swipe.error'; code: string };
}

function watch(swiper: Swiper) {
  const events: (SwipeEvent | SwipeErrorEvent | SwiperStatusEvent)[] = [];
  const swipes: SwipeEvent[] = [];
  const errors: SwipeErrorEvent[] = [];
  const states: string[] = [];
  swiper.on('swipe', (event) => {
    swipes.push(event);
    events.push(event);
  });
  swiper.on('swipe.error', (event) => {
    errors.push(event);
    events.push(event);
  });
  swiper.on('status', (event) => {
    states.push(event.state);
    events.push(event);
  });
  return { events, swipes, errors, states };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('recorded report sequences through the HID seam', () => {
  const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.json'));

  it('has fixtures for every mode', () => {
    const modes = new Set(
      files.map((name) => (JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Fixture).mode),
    );
    expect([...modes].sort()).toEqual(['idtech', 'keyboard', 'magtek']);
  });

  for (const name of files) {
    const fixture = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Fixture;
    it(`${name}: ${fixture.description}`, async () => {
      const device = new SimulatedSwiper({ mode: fixture.mode });
      const swiper = new Swiper({
        id: 'counter-swiper',
        selector: { vendorId: device.info.vendorId, productId: device.info.productId },
        mode: fixture.mode,
        backend: device,
        ...(fixture.framing ? { keyboard: fixture.framing } : {}),
      });
      const seen = watch(swiper);
      swiper.start();
      for (const hex of fixture.reports) device.send(Uint8Array.from(Buffer.from(hex, 'hex')));
      await vi.advanceTimersByTimeAsync(100);
      swiper.stop();
      const { event, ...fields } = fixture.expect;
      if (event === 'swipe') {
        expect(seen.swipes).toEqual([{ device: 'counter-swiper', ...fields }]);
        expect(seen.errors).toEqual([]);
      } else {
        expect(seen.errors).toEqual([{ device: 'counter-swiper', ...fields }]);
        expect(seen.swipes).toEqual([]);
      }
    });
  }
});

describe('the swiper driver', () => {
  it('needs something to find its device by', () => {
    const device = new SimulatedSwiper({ mode: 'magtek' });
    expect(() => new Swiper({ id: 'x', selector: {}, mode: 'magtek', backend: device })).toThrow(
      expect.objectContaining({ code: 'SWIPER_CONFIG_INVALID' }),
    );
    expect(
      () =>
        new Swiper({
          id: 'x',
          selector: { vendorId: 1 },
          mode: 'magtek',
          backend: device,
          rule: { track: 2, field: -1 },
        }),
    ).toThrow(expect.objectContaining({ code: 'SWIPER_CONFIG_INVALID' }));
  });

  it('opens its device by VID/PID, by serial number or by path, and not a different one', () => {
    const device = new SimulatedSwiper({ mode: 'magtek', info: { serialNumber: 'B0000123' } });
    for (const selector of [
      { vendorId: 0x0801, productId: 0x0002 },
      { serialNumber: 'B0000123' },
      { path: device.info.path! },
    ]) {
      const swiper = new Swiper({ id: 's', selector, mode: 'magtek', backend: device });
      const seen = watch(swiper);
      swiper.start();
      expect(seen.states).toEqual(['absent', 'connected']);
      expect(swiper.device?.serialNumber).toBe('B0000123');
      swiper.stop();
      expect(device.isOpen).toBe(false);
    }
    const other = new Swiper({ id: 's', selector: { vendorId: 0x0acd }, mode: 'magtek', backend: device });
    other.start();
    expect(other.status).toBe('absent');
    other.stop();
  });

  it('follows unplug and re-plug, retrying with a doubling delay', async () => {
    const device = new SimulatedSwiper({ mode: 'magtek' });
    const open = vi.spyOn(device, 'devices');
    const swiper = new Swiper({
      id: 's',
      selector: { vendorId: 0x0801, productId: 0x0002 },
      mode: 'magtek',
      backend: device,
      reconnect: { initialMs: 100, maxMs: 400 },
    });
    const seen = watch(swiper);
    swiper.start();
    device.unplug();
    expect(seen.states).toEqual(['absent', 'connected', 'disconnected']);
    open.mockClear();
    await vi.advanceTimersByTimeAsync(100);
    expect(open).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(open).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(400);
    expect(open).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(400); // capped at maxMs
    expect(open).toHaveBeenCalledTimes(4);
    device.plug();
    await vi.advanceTimersByTimeAsync(400);
    expect(seen.states.at(-1)).toBe('connected');
    device.swipe(memberCard);
    expect(seen.swipes.map((event) => event.memberNumber)).toEqual(['6200123456']);
    // After a reconnect the delay starts small again.
    device.unplug();
    device.plug();
    await vi.advanceTimersByTimeAsync(100);
    expect(swiper.status).toBe('connected');
    swiper.stop();
  });

  it('keeps retrying a device it may not open, logging the failure once, and opens it when allowed', async () => {
    const device = new SimulatedSwiper({ mode: 'magtek', info: { interface: 1 } });
    let allowed = false;
    const backend = {
      devices: () => device.devices(),
      open: (path: string) => {
        if (!allowed) throw new DeviceError('HID_OPEN_FAILED', 'permission denied', { details: { path } });
        return device.open(path);
      },
    };
    const warnings: Record<string, unknown>[] = [];
    const swiper = new Swiper({
      id: 's',
      selector: { vendorId: 0x0801, interface: 1 },
      mode: 'magtek',
      backend,
      reconnect: { initialMs: 10, maxMs: 20 },
      logger: { info: () => {}, warn: (fields) => warnings.push(fields) },
    });
    swiper.start();
    await vi.advanceTimersByTimeAsync(200);
    expect(swiper.status).toBe('absent');
    expect(warnings).toEqual([{ device: 's', code: 'HID_OPEN_FAILED' }]);
    allowed = true;
    await vi.advanceTimersByTimeAsync(20);
    expect(swiper.status).toBe('connected');
    swiper.stop();
    const wrongInterface = new Swiper({
      id: 's',
      selector: { vendorId: 0x0801, interface: 0 },
      mode: 'magtek',
      backend,
    });
    wrongInterface.start();
    expect(wrongInterface.status).toBe('absent');
    wrongInterface.stop();
  });

  it('waits for a swiper that is not plugged in yet', async () => {
    const device = new SimulatedSwiper({ mode: 'idtech' });
    device.unplug();
    const swiper = new Swiper({ id: 's', selector: { vendorId: 0x0acd }, mode: 'idtech', backend: device });
    swiper.start();
    expect(swiper.status).toBe('absent');
    device.plug();
    await vi.advanceTimersByTimeAsync(250);
    expect(swiper.status).toBe('connected');
    swiper.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('joins the Enter-separated tracks of one keyboard swipe and keeps two swipes apart', async () => {
    const device = new SimulatedSwiper({ mode: 'keyboard', terminator: 'per-track' });
    const swiper = new Swiper({ id: 's', selector: { vendorId: 0x0801 }, mode: 'keyboard', backend: device });
    const seen = watch(swiper);
    swiper.start();
    device.swipe(memberCard);
    await vi.advanceTimersByTimeAsync(39);
    expect(seen.swipes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen.swipes).toHaveLength(1);
    device.swipe({ track2: '6200999999' });
    await vi.advanceTimersByTimeAsync(40);
    expect(seen.swipes.map((event) => event.memberNumber)).toEqual(['6200123456', '6200999999']);
    swiper.stop();
  });

  it('gives up on a keyboard swipe that stops half way and asks for another swipe', async () => {
    const device = new SimulatedSwiper({ mode: 'keyboard' });
    const swiper = new Swiper({ id: 's', selector: { vendorId: 0x0801 }, mode: 'keyboard', backend: device });
    const seen = watch(swiper);
    swiper.start();
    const reports = device.reportsFor({ track2: '6200123456' });
    for (const report of reports.slice(0, 10)) device.send(report);
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.errors).toEqual([{ device: 's', code: 'SWIPE_UNREADABLE' }]);
    expect(seen.swipes).toEqual([]);
    // The next swipe starts clean.
    device.swipe({ track2: '6200123456' });
    await vi.advanceTimersByTimeAsync(40);
    expect(seen.swipes.map((event) => event.memberNumber)).toEqual(['6200123456']);
    swiper.stop();
  });

  it('gives up on an ID TECH frame that never completes', async () => {
    const device = new SimulatedSwiper({ mode: 'idtech', reportSize: 8 });
    const swiper = new Swiper({ id: 's', selector: { vendorId: 0x0acd }, mode: 'idtech', backend: device });
    const seen = watch(swiper);
    swiper.start();
    const reports = device.reportsFor(memberCard);
    for (const report of reports.slice(0, 3)) device.send(report);
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen.errors).toEqual([{ device: 's', code: 'SWIPE_UNREADABLE' }]);
    device.swipe(memberCard);
    expect(seen.swipes.map((event) => event.memberNumber)).toEqual(['6200123456']);
    swiper.stop();
  });

  it('applies the configured member number rule', () => {
    const device = new SimulatedSwiper({ mode: 'magtek' });
    const swiper = new Swiper({
      id: 's',
      selector: { vendorId: 0x0801 },
      mode: 'magtek',
      backend: device,
      rule: { track: 1, field: 0, prefix: 'M', stripPrefix: true, length: 11 },
    });
    const seen = watch(swiper);
    swiper.start();
    device.swipe(memberCard);
    device.swipe({ track1: 'X123^A^' });
    expect(seen.swipes.map((event) => event.memberNumber)).toEqual(['6200123456']);
    expect(seen.errors).toEqual([{ device: 's', code: 'CARD_NOT_MEMBER_CARD' }]);
    swiper.stop();
  });

  it('keeps a failing event listener from breaking the driver or being taken for a bad read', () => {
    const device = new SimulatedSwiper({ mode: 'magtek' });
    const warnings: Record<string, unknown>[] = [];
    const swiper = new Swiper({
      id: 's',
      selector: { vendorId: 0x0801 },
      mode: 'magtek',
      backend: device,
      logger: { info: () => {}, warn: (fields) => warnings.push(fields) },
    });
    const seen = watch(swiper);
    swiper.on('swipe', () => {
      throw new Error('screen went away');
    });
    swiper.start();
    expect(() => device.swipe(memberCard)).not.toThrow();
    expect(seen.swipes).toHaveLength(1);
    expect(seen.errors).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({ code: 'SWIPER_LISTENER_FAILED', event: 'swipe' })]);
    swiper.stop();
  });

  it('zeroes every report buffer once decoded', () => {
    const device = new SimulatedSwiper({ mode: 'magtek' });
    const swiper = new Swiper({ id: 's', selector: { vendorId: 0x0801 }, mode: 'magtek', backend: device });
    swiper.start();
    const [report] = device.reportsFor(memberCard);
    device.send(report!);
    expect(report!.every((byte) => byte === 0)).toBe(true);
    swiper.stop();
  });
});

describe('fuzzing the driver with random reports', () => {
  for (const mode of ['keyboard', 'magtek', 'idtech'] as const) {
    it(`never throws in ${mode} mode and only emits known outcomes`, async () => {
      const device = new SimulatedSwiper({ mode });
      const swiper = new Swiper({
        id: 'fuzz',
        selector: { vendorId: device.info.vendorId },
        mode,
        backend: device,
      });
      const seen = watch(swiper);
      swiper.start();
      const validReport = device.reportsFor(memberCard);
      const report = fc.oneof(
        fc.uint8Array({ minLength: 0, maxLength: 400 }),
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.uint8Array({ minLength: 337, maxLength: 337 }),
        // Valid reports with one byte changed.
        fc
          .tuple(fc.constantFrom(...validReport), fc.nat(), fc.integer({ min: 0, max: 255 }))
          .map(([valid, at, value]) => {
            const copy = valid.slice();
            copy[at % copy.length] = value;
            return copy;
          }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(report, { maxLength: 40 }), async (reports) => {
          for (const bytes of reports) expect(() => device.send(bytes)).not.toThrow();
          await vi.advanceTimersByTimeAsync(1100);
        }),
        { numRuns: 150 },
      );
      swiper.stop();
      for (const error of seen.errors) {
        expect(['SWIPE_UNREADABLE', 'CARD_IS_PAYMENT_CARD', 'CARD_NOT_MEMBER_CARD']).toContain(error.code);
      }
      for (const swipe of seen.swipes) expect(swipe.memberNumber).toMatch(/^[0-9:<>=]+$/);
    });
  }
});
