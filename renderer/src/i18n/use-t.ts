import type { PosFailure } from '../api/client';
import { formatFen } from '../money';
import { useApp } from '../store/app';
import type { Locale } from './messages';
import { errorKey, type MessageKey, translate, triesInWords, waitInWords } from './messages';

export type T = ((key: MessageKey, params?: Record<string, string>) => string) & { locale?: Locale };

export function useT(): T {
  const locale = useApp((state) => state.locale);
  const t = (key: MessageKey, params?: Record<string, string>) => translate(locale, key, params);
  return Object.assign(t, { locale });
}

/** The cashier's sentence for a refusal; `availableFen` fills in "what is there" when the host did not say. */
export function describeFailure(t: T, failure: PosFailure, availableFen?: number): string {
  const detail = failure.details.availableFen;
  const available = typeof detail === 'number' ? detail : availableFen;
  const { attemptsLeft, capFen, remainingFen, maxOfflineMs, limitFen, amountFen, principalFen, roomFen } =
    failure.details;
  const retryAfter = failure.details.retryAfterSeconds;
  const locale = t.locale ?? 'zh-CN';
  const money = (fen: unknown) => (typeof fen === 'number' ? formatFen(fen) : '');
  // A card keyed by another system, found before activation: not merely "not ours" but not writable at all.
  if (failure.code === 'CARD_FOREIGN' && failure.details.writable === false)
    return t('card.foreignUnwritable');
  // An anonymous card's limit is said with the hint that real-name details raise it.
  const key =
    failure.code === 'CARD_BALANCE_OVER_LIMIT' && failure.details.named === false
      ? 'error.CARD_BALANCE_OVER_LIMIT_ANONYMOUS'
      : errorKey(failure.code);
  const words = t(key, {
    code: failure.code,
    available: available === undefined ? '' : formatFen(available),
    attemptsLeft: typeof attemptsLeft === 'number' ? String(attemptsLeft) : '',
    tries: typeof attemptsLeft === 'number' ? triesInWords(locale, attemptsLeft) : '',
    wait: typeof retryAfter === 'number' ? waitInWords(locale, retryAfter) : '',
    // The offline caps: the cap reached and what may still be charged; the longest a till may go unheard.
    cap: money(capFen),
    remaining: money(remainingFen),
    hours: typeof maxOfflineMs === 'number' ? String(Math.round(maxOfflineMs / 3_600_000)) : '',
    // The amount limits: the limit, the amount asked, what the card holds and what room is left.
    limit: money(limitFen),
    amount: money(amountFen),
    principal: money(principalFen),
    room: money(roomFen),
    what: failure.details.kind === 'spend' ? t('kind.spend') : t('kind.top_up'),
  });
  return failure.code === 'PRINTER_DISCONNECTED' ? withAdvice(t, words, failure.details.link) : words;
}

const LINKS = ['tcp', 'usblp', 'serial', 'simulated'] as const;

/** A printer that does not answer: what to check depends on how it is reached (network, USB, serial). */
function withAdvice(t: T, words: string, link: unknown): string {
  const known = LINKS.find((candidate) => candidate === link);
  const advice = known === undefined ? '' : t(`printer.advice.${known}`);
  return advice === '' ? words : `${words}${advice}`;
}

/** Why a receipt is not on paper, in words, with advice that fits the printer's link. */
export function describePrintProblem(t: T, code: string | undefined, link: string | undefined): string {
  const words = t(errorKey(code ?? 'PRINT_FAILED'), { code: code ?? '' });
  return code === 'PRINTER_DISCONNECTED' ? withAdvice(t, words, link) : words;
}
