/**
 * The bonus the opening top-up would bring, asked of the host again whenever the amount or the member changes;
 * an answer that arrives after a newer question is dropped.
 */
import { useEffect, useState } from 'react';
import { asFailure, call, type PosFailure } from '../api/client';
import type { OpeningQuote } from './draft';

export function useOpeningQuote(
  amountFen: number | null,
  memberId: string | null,
): { quote: OpeningQuote | null; failure: PosFailure | null } {
  const [answer, setAnswer] = useState<{ quote: OpeningQuote | null; failure: PosFailure | null }>({
    quote: null,
    failure: null,
  });
  useEffect(() => {
    setAnswer({ quote: null, failure: null });
    if (amountFen === null) return;
    let current = true;
    call('cards.previewActivation', { amountFen, ...(memberId === null ? {} : { memberId }) })
      .then((quote) => {
        if (current) setAnswer({ quote, failure: null });
      })
      .catch((failure) => {
        if (current) setAnswer({ quote: null, failure: asFailure(failure) });
      });
    return () => {
      current = false;
    };
  }, [amountFen, memberId]);
  return answer;
}
