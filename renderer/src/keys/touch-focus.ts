/**
 * Which element got its focus from a tap or a click rather than from the keyboard. A browser lets a focused
 * button answer Enter and Space with another click; that is right for a button the cashier reached with Tab,
 * and wrong for one that merely kept focus after a tap (a keypad key, the language switch, a tab), where the
 * key means something to the counter. (`:focus-visible` cannot tell: Chromium turns it on for the focused
 * element at the first key press, before the page sees the key.)
 */
let lastInteraction: 'pointer' | 'key' = 'key';
const touched = new WeakSet<EventTarget>();

const onPointerDown = () => {
  lastInteraction = 'pointer';
};
const onKeyDown = () => {
  lastInteraction = 'key';
};
const onFocusIn = (event: FocusEvent) => {
  if (event.target === null) return;
  if (lastInteraction === 'pointer') touched.add(event.target);
  else touched.delete(event.target);
};

/** Starts watching; the returned function stops. */
export function watchTouchFocus(target: Window = window): () => void {
  target.addEventListener('pointerdown', onPointerDown, { capture: true });
  target.addEventListener('keydown', onKeyDown, { capture: true });
  target.addEventListener('focusin', onFocusIn, { capture: true });
  return () => {
    target.removeEventListener('pointerdown', onPointerDown, { capture: true });
    target.removeEventListener('keydown', onKeyDown, { capture: true });
    target.removeEventListener('focusin', onFocusIn, { capture: true });
  };
}

/** A button that has focus only because it was tapped or clicked. */
export function isTouchedButton(element: EventTarget | null): element is HTMLButtonElement {
  return element instanceof HTMLButtonElement && touched.has(element);
}
