/**
 * Reading a new card at the counter: tap it (bound by its UID), swipe it (its member number), or key the
 * number printed on it. A tapped card with no number of ours asks for the printed number as well.
 */
import { useEffect, useRef, useState } from 'react';
import { PosFailure } from '../api/client';
import { ErrorNote } from '../components/ErrorNote';
import { describeFailure, useT } from '../i18n/use-t';
import { claimCards } from './card-claim';
import { canWriteAgain, fitsCardFormat, type NewCard } from './new-card';

export { canWriteAgain, cardRequest, EMPTY_CARD, isCardReady, type NewCard } from './new-card';

export function ReadCard({
  value,
  onChange,
  testId,
}: {
  value: NewCard;
  onChange: (card: NewCard) => void;
  testId: string;
}) {
  const t = useT();
  const [refused, setRefused] = useState<string | null>(null);
  const latest = useRef({ value, onChange });
  latest.current = { value, onChange };

  useEffect(
    () =>
      claimCards((input) => {
        const { value: current, onChange: change } = latest.current;
        // A card with no number of this chain yet is what a new card is; any other refusal is a wrong card.
        const blank = input.refused === 'CARD_FOREIGN' && input.uid !== undefined;
        if (input.refused !== undefined && !blank) {
          setRefused(input.refused);
          return;
        }
        setRefused(null);
        if (input.via === 'swipe' && input.cardNumber !== undefined) {
          change({ cardNumber: input.cardNumber, uid: null, medium: 'magstripe' });
        } else if (input.cardNumber !== undefined) {
          change({ cardNumber: input.cardNumber, uid: null, medium: 'mifare' });
        } else if (input.uid !== undefined) {
          const cardNumber = current.uid === null ? current.cardNumber : '';
          // With the chain's keys a blank card reads as not ours yet: it is written in the secured format.
          // Without keys the card is bound by its UID.
          change(
            blank && input.reader !== undefined
              ? { cardNumber, uid: input.uid, medium: 'mifare', reader: input.reader }
              : { cardNumber, uid: input.uid, medium: 'uid' },
          );
        }
      }),
    [],
  );

  return (
    <div className="read-card" data-testid={testId}>
      <p className="prompt">{t('activate.cardPrompt')}</p>
      {value.uid !== null ? (
        <p className="read-card-uid" data-testid={`${testId}-uid`}>
          {t('activate.cardTapped', { uid: value.uid })}
        </p>
      ) : null}
      {value.medium === 'magstripe' ? <p className="muted">{t('activate.cardSwiped')}</p> : null}
      <label className="field">
        {value.uid !== null ? t('activate.printedNumber') : t('activate.cardNumber')}
        <input
          inputMode="numeric"
          autoComplete="off"
          value={value.cardNumber}
          onChange={(event) => {
            const cardNumber = event.target.value.toUpperCase().replace(/[^0-9A-Z]/g, '');
            onChange({ ...value, cardNumber, medium: value.uid !== null ? value.medium : 'keyed' });
          }}
          data-testid={`${testId}-number`}
        />
      </label>
      {value.cardNumber !== '' && !fitsCardFormat(value) ? (
        <p className="error-note" role="alert" data-code="CARD_NUMBER_INVALID" data-testid={`${testId}-rule`}>
          {t('card.numberRule')}
        </p>
      ) : null}
      {value.uid !== null ? (
        <p className="muted" data-testid={`${testId}-binding`}>
          {value.medium === 'mifare' ? t('activate.willWrite') : t('activate.boundByUid')}
        </p>
      ) : null}
      <ErrorNote failure={refused === null ? null : new PosFailure({ code: refused, message: refused })} />
    </div>
  );
}

/** The card is bound but not written: a second try when one can help, otherwise what is wrong with the card. */
export function WriteFailure({ code, testId }: { code: string; testId: string }) {
  const t = useT();
  return (
    <p className="error-note" role="alert" data-code={code} data-testid={testId}>
      {canWriteAgain(code)
        ? t('activate.writeFailed', { code })
        : `${t('activate.writeRefused')}${describeFailure(t, new PosFailure({ code, message: code }))}`}
    </p>
  );
}
