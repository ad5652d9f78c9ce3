/**
 * Types into a Chromium page through CDP with explicit event timestamps, so the gaps between keys that the
 * page sees (`KeyboardEvent.timeStamp`) are exactly the ones asked for, whatever the load on the machine:
 * a swiper's 2 ms bursts and a person's 60 ms typing are both reproducible. Shift goes down and up around
 * shifted characters, as a keyboard-emulating swiper sends it.
 */
import type { CDPSession } from 'playwright-core';

/** US-layout keys: character → [code, Windows virtual key code, Shift]. */
const KEYS: Record<string, [string, number, boolean]> = {
  '%': ['Digit5', 53, true],
  '^': ['Digit6', 54, true],
  '?': ['Slash', 191, true],
  '/': ['Slash', 191, false],
  ';': ['Semicolon', 186, false],
  '=': ['Equal', 187, false],
  '+': ['Equal', 187, true],
  ' ': ['Space', 32, false],
  '\n': ['Enter', 13, false],
};
for (let digit = 0; digit <= 9; digit += 1) KEYS[String(digit)] = [`Digit${digit}`, 48 + digit, false];
for (let index = 0; index < 26; index += 1) {
  const upper = String.fromCharCode(65 + index);
  KEYS[upper] = [`Key${upper}`, 65 + index, true];
  KEYS[upper.toLowerCase()] = [`Key${upper}`, 65 + index, false];
}

/** One `Input.dispatchKeyEvent`, as this file sends them. */
interface KeyEvent {
  type: 'rawKeyDown' | 'keyDown' | 'keyUp';
  key: string;
  code: string;
  windowsVirtualKeyCode: number;
  text?: string;
  modifiers?: number;
  timestamp: number;
}

/**
 * Types `text` (`\n` is Enter) with `gapMs` between keys (or `gapMs(index)` after the key at `index`, to put
 * a pause somewhere inside a burst). Timestamps start `leadMs` ahead of the clock so
 * every key is delivered before a page timer could take slow delivery for a pause; the page's own timers
 * therefore settle about `leadMs` after this returns. Returns the epoch time (ms) of the last key.
 *
 * Ahead of the clock, every event goes out at once (CDP keeps their order) and they are awaited together, so
 * a machine busy with other test files delays a burst by one round trip to the page, not one per event.
 * Typed at the clock (`leadMs` 0), each event waits for the page, as a person's next key would.
 */
export async function typeWithTimestamps(
  cdp: CDPSession,
  text: string,
  gapMs: number | ((index: number) => number),
  leadMs = 2000,
): Promise<number> {
  const pending: Promise<unknown>[] = [];
  const dispatch = async (event: KeyEvent) => {
    const sent = cdp.send('Input.dispatchKeyEvent', event);
    if (leadMs > 0) pending.push(sent);
    else await sent;
  };
  let at = Date.now() + leadMs;
  let last = at;
  const gapAfter = typeof gapMs === 'number' ? () => gapMs : gapMs;
  for (const [index, char] of [...text].entries()) {
    const entry = KEYS[char];
    if (entry === undefined) throw new RangeError(`no US key types ${JSON.stringify(char)}`);
    const [code, vk, shift] = entry;
    const key = char === '\n' ? 'Enter' : char;
    const stamp = at / 1000;
    const modifiers = shift ? 8 : 0;
    const shiftKey = { key: 'Shift', code: 'ShiftLeft', windowsVirtualKeyCode: 16 };
    if (shift) {
      await dispatch({
        type: 'rawKeyDown',
        ...shiftKey,
        modifiers,
        timestamp: stamp - 0.0005,
      });
    }
    await dispatch({
      type: 'keyDown',
      key,
      code,
      windowsVirtualKeyCode: vk,
      text: char === '\n' ? '\r' : char,
      modifiers,
      timestamp: stamp,
    });
    await dispatch({
      type: 'keyUp',
      key,
      code,
      windowsVirtualKeyCode: vk,
      modifiers,
      timestamp: stamp + 0.0005,
    });
    if (shift) await dispatch({ type: 'keyUp', ...shiftKey, timestamp: stamp + 0.0008 });
    last = at;
    at += gapAfter(index);
  }
  await Promise.all(pending);
  return last;
}
