import type { PosFailure } from '../api/client';
import { formatFen } from '../money';
import { useApp } from '../store/app';
import { errorKey, type MessageKey, translate } from './messages';

export type T = (key: MessageKey, params?: Record<string, string>) => string;

export function useT(): T {
  const locale = useApp((state) => state.locale);
  return (key, params) => translate(locale, key, params);
}

/** The cashier's sentence for a refusal; `availableFen` fills in "what is there" when the host did not say. */
export function describeFailure(t: T, failure: PosFailure, availableFen?: number): string {
  const detail = failure.details.availableFen;
  const available = typeof detail === 'number' ? detail : availableFen;
  const attemptsLeft = failure.details.attemptsLeft;
  return t(errorKey(failure.code), {
    code: failure.code,
    available: available === undefined ? '' : formatFen(available),
    attemptsLeft: typeof attemptsLeft === 'number' ? String(attemptsLeft) : '',
  });
}
