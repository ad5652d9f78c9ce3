/**
 * ACR122U LED and buzzer signals, sent as the CCID escape `FF 00 40 P2 04 T1 T2 reps buzzer`.
 * P2 bits: 0 final red, 1 final green, 2 red mask, 3 green mask, 4 initial red blink, 5 initial green
 * blink, 6 red blink mask, 7 green blink mask. T1/T2 are in 100 ms units; buzzer 01 sounds during T1.
 * libccid only passes escapes through when its Info.plist sets ifdDriverOptions 0x0001.
 */
import { acr122LedBuzzer } from './apdu';

/** Green blink once with a short beep: member card read. */
export const SIGNAL_SUCCESS = acr122LedBuzzer({
  ledState: 0xaa,
  t1: 0x01,
  t2: 0x01,
  repetitions: 0x01,
  buzzer: 0x01,
});

/** Red blink three times with beeps: card refused. */
export const SIGNAL_FAILURE = acr122LedBuzzer({
  ledState: 0x55,
  t1: 0x02,
  t2: 0x02,
  repetitions: 0x03,
  buzzer: 0x01,
});

/** Readers whose firmware takes the ACR122 escape (the ACR1252U uses a different LED command set). */
export function hasAcr122Signals(readerName: string): boolean {
  return /ACR122/i.test(readerName);
}
