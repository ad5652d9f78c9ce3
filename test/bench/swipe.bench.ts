/**
 * Swiper throughput: HID reports decoded per second through the whole driver (report → decoder → track
 * parsing → member rule → event), against the bare boot-keyboard decoder as the baseline.
 */
import { BootKeyboardDecoder, SimulatedSwiper, Swiper, type SwiperMode } from '../../hardware/swiper/index';
import { type Emit, progress, since } from './harness';

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
}
