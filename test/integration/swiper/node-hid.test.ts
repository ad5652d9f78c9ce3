import { describe, expect, it } from 'vitest';
import { findSwipers, nodeHidBackend, Swiper } from '../../../hardware/swiper/index';

// The real node-hid (hidraw) backend on this machine. No swiper is attached in CI and none can be
// created (no /dev/uhid), so this checks the production seam itself: enumeration works, entries have the
// shape the driver relies on, and a swiper that is not there is waited for without errors.
describe('node-hid backend', () => {
  it('lists HID devices with vendor and product IDs', () => {
    const devices = nodeHidBackend.devices();
    expect(Array.isArray(devices)).toBe(true);
    for (const device of devices) {
      expect(Number.isInteger(device.vendorId)).toBe(true);
      expect(Number.isInteger(device.productId)).toBe(true);
    }
    expect(findSwipers(nodeHidBackend).every((info) => [0x0801, 0x0acd].includes(info.vendorId))).toBe(true);
  });

  it('refuses to open a path that is not a HID device, with a stable code', () => {
    expect(() => nodeHidBackend.open('/dev/null-not-a-hidraw')).toThrow(
      expect.objectContaining({ code: 'HID_OPEN_FAILED' }),
    );
  });

  it('waits for an absent swiper and stops cleanly', async () => {
    const swiper = new Swiper({
      id: 'absent',
      selector: { vendorId: 0x0801, productId: 0x0002, serialNumber: 'NOT-PLUGGED-IN' },
      mode: 'magtek',
      reconnect: { initialMs: 20, maxMs: 40 },
    });
    const states: string[] = [];
    swiper.on('status', (event) => states.push(event.state));
    swiper.start();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(swiper.status).toBe('absent');
    swiper.stop();
    expect(states).toEqual(['absent', 'stopped']);
  });
});
