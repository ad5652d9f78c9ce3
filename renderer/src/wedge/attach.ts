/**
 * Wires a WedgeDetector to the DOM: a capture-phase keydown listener that sees every key before any field
 * or shortcut handler does, swallows the keys of a swipe burst, and replays keys that turned out to be
 * typing, so a cashier's `;` or `%` still reaches the field and the shortcuts it was meant for.
 */
import {
  type WedgeDecision,
  WedgeDetector,
  type WedgeKey,
  type WedgeOptions,
  type WedgeRefusal,
} from './detector';

/** Gives a held key back to the page. `target` is where the key was first aimed (null if unknown). */
export type ReplayKey = (key: WedgeKey, target: EventTarget | null, markOurs: (event: Event) => void) => void;

export interface AttachWedgeOptions extends WedgeOptions {
  /** Defaults to re-dispatching the key to its target and typing it into the focused field. */
  readonly replay?: ReplayKey;
  /** The clock `KeyboardEvent.timeStamp` uses. */
  readonly now?: () => number;
  /**
   * A burst was kept from the page and refused here (a bank card, or a swipe broken off part way): tell the
   * cashier; nothing is sent on and nothing was typed.
   */
  readonly onRefused?: (code: WedgeRefusal) => void;
}

/**
 * Starts watching `target` (usually `window`) for swipes; `onSwipe` receives each swipe's raw track text.
 * Returns a function that stops watching.
 */
export function attachWedge(
  target: EventTarget,
  onSwipe: (tracks: string) => void,
  options: AttachWedgeOptions = {},
): () => void {
  const detector = new WedgeDetector(options);
  const replay = options.replay ?? replayIntoPage;
  const now = options.now ?? (() => performance.now());
  // Events we dispatch ourselves when replaying: the listeners below let them through untouched.
  const ours = new WeakSet<Event>();
  const markOurs = (event: Event) => ours.add(event);
  const origins = new WeakMap<WedgeKey, EventTarget | null>();
  // Keys whose keydown was swallowed: their keyup is swallowed too, so no handler sees half a keystroke.
  const swallowedCodes = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const apply = (decision: WedgeDecision) => {
    for (const key of decision.release) replay(key, origins.get(key) ?? null, markOurs);
    if (decision.swipe !== undefined) onSwipe(decision.swipe);
    if (decision.refused !== undefined) options.onRefused?.(decision.refused);
    clearTimeout(timer);
    timer = undefined;
    const deadline = detector.deadline;
    if (deadline !== undefined) {
      timer = setTimeout(() => apply(detector.poll(now())), Math.max(0, deadline - now()) + 1);
    }
  };

  const onKeyDown = (event: Event) => {
    if (ours.has(event)) return;
    const keyboard = event as KeyboardEvent;
    if (keyboard.isComposing || keyboard.repeat) return;
    const key: WedgeKey = {
      key: keyboard.key,
      code: keyboard.code,
      timeStamp: keyboard.timeStamp,
      shiftKey: keyboard.shiftKey,
    };
    origins.set(key, keyboard.target);
    const decision = detector.handle(key);
    if (decision.swallow) {
      keyboard.preventDefault();
      keyboard.stopImmediatePropagation();
      swallowedCodes.set(keyboard.code, (swallowedCodes.get(keyboard.code) ?? 0) + 1);
    }
    // Held keys go back before this key takes effect, so the field receives them in typing order.
    apply(decision);
  };

  const onKeyUp = (event: Event) => {
    if (ours.has(event)) return;
    const keyboard = event as KeyboardEvent;
    const count = swallowedCodes.get(keyboard.code);
    if (count === undefined) return;
    if (count <= 1) swallowedCodes.delete(keyboard.code);
    else swallowedCodes.set(keyboard.code, count - 1);
    keyboard.preventDefault();
    keyboard.stopImmediatePropagation();
  };

  target.addEventListener('keydown', onKeyDown, { capture: true });
  target.addEventListener('keyup', onKeyUp, { capture: true });
  return () => {
    clearTimeout(timer);
    target.removeEventListener('keydown', onKeyDown, { capture: true });
    target.removeEventListener('keyup', onKeyUp, { capture: true });
  };
}

/**
 * Re-dispatches the key (keydown, keyup) at the element it was aimed at, so shortcut handlers see it, and,
 * unless a handler cancels it, types its character into the focused field: a synthetic key event does not
 * type by itself.
 */
const replayIntoPage: ReplayKey = (key, target, markOurs) => {
  const element =
    target instanceof Node && target.isConnected ? target : (document.activeElement ?? document.body);
  const init: KeyboardEventInit = {
    key: key.key,
    code: key.code,
    shiftKey: key.shiftKey ?? false,
    bubbles: true,
    cancelable: true,
    composed: true,
  };
  const down = new KeyboardEvent('keydown', init);
  markOurs(down);
  const proceed = element.dispatchEvent(down);
  if (proceed && key.key.length === 1) insertIntoFocusedField(key.key);
  const up = new KeyboardEvent('keyup', init);
  markOurs(up);
  element.dispatchEvent(up);
};

/** Inserts text at the caret of the focused input, textarea or editable element, as typing would. */
function insertIntoFocusedField(text: string): void {
  const field = document.activeElement;
  if (field === null) return;
  const editable =
    field instanceof HTMLTextAreaElement ||
    (field instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'submit'].includes(field.type)) ||
    (field instanceof HTMLElement && field.isContentEditable);
  if (!editable) return;
  // execCommand keeps the undo stack and fires the input events frameworks listen for.
  if (document.execCommand?.('insertText', false, text)) return;
  if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? start;
    field.setRangeText(text, start, end, 'end');
    field.dispatchEvent(new Event('input', { bubbles: true }));
  }
}
