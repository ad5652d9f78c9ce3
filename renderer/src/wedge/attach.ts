/**
 * Wires a WedgeDetector to the DOM: a capture-phase keydown listener that sees every key before any field
 * or shortcut handler does, swallows the keys of a swipe burst, and types released keys back into the
 * focused field.
 */
import { type WedgeDecision, WedgeDetector, type WedgeKey, type WedgeOptions } from './detector';

export interface AttachWedgeOptions extends WedgeOptions {
  /** Puts released keys' text where the user was typing. Defaults to inserting into the focused field. */
  readonly insertText?: (text: string) => void;
  /** The clock `KeyboardEvent.timeStamp` uses. */
  readonly now?: () => number;
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
  const insertText = options.insertText ?? insertIntoFocusedField;
  const now = options.now ?? (() => performance.now());
  // Keys whose keydown was swallowed: their keyup is swallowed too, so no handler sees half a keystroke.
  const swallowedCodes = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const apply = (decision: WedgeDecision) => {
    const text = decision.release
      .map((key) => (key.key === 'Enter' ? '' : key.key))
      .filter((key) => key.length === 1)
      .join('');
    if (text.length > 0) insertText(text);
    if (decision.swipe !== undefined) onSwipe(decision.swipe);
    clearTimeout(timer);
    timer = undefined;
    const deadline = detector.deadline;
    if (deadline !== undefined) {
      timer = setTimeout(() => apply(detector.poll(now())), Math.max(0, deadline - now()) + 1);
    }
  };

  const onKeyDown = (event: Event) => {
    const keyboard = event as KeyboardEvent;
    if (keyboard.isComposing || keyboard.repeat) return;
    const key: WedgeKey = {
      key: keyboard.key,
      code: keyboard.code,
      timeStamp: keyboard.timeStamp,
      shiftKey: keyboard.shiftKey,
    };
    const decision = detector.handle(key);
    if (decision.swallow) {
      keyboard.preventDefault();
      keyboard.stopImmediatePropagation();
      swallowedCodes.set(keyboard.code, (swallowedCodes.get(keyboard.code) ?? 0) + 1);
    }
    apply(decision);
  };

  const onKeyUp = (event: Event) => {
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

/** Inserts text at the caret of the focused input, textarea or editable element, as typing would. */
function insertIntoFocusedField(text: string): void {
  const field = document.activeElement;
  if (field === null) return;
  // execCommand keeps the undo stack and fires the input events frameworks listen for.
  if (document.execCommand?.('insertText', false, text)) return;
  if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? start;
    field.setRangeText(text, start, end, 'end');
    field.dispatchEvent(new Event('input', { bubbles: true }));
  }
}
