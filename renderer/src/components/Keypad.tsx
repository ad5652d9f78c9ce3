/** A touch keypad; the physical keyboard drives the same actions from the counter's key handler. */
import { useT } from '../i18n/use-t';

const KEYS = ['7', '8', '9', '4', '5', '6', '1', '2', '3', '0', '.'] as const;

export function Keypad(props: { onKey: (key: string) => void; onBackspace: () => void; disabled?: boolean }) {
  const t = useT();
  return (
    // biome-ignore lint/a11y/useSemanticElements: a set of keys, not form fields a fieldset would hold
    <div className="keypad" role="group" aria-label={t('keypad.label')}>
      {KEYS.map((key) => (
        <button
          key={key}
          type="button"
          className="key"
          disabled={props.disabled}
          onClick={() => props.onKey(key)}
          data-key={key}
        >
          {key}
        </button>
      ))}
      <button
        type="button"
        className="key"
        disabled={props.disabled}
        onClick={props.onBackspace}
        aria-label="⌫"
      >
        ⌫
      </button>
    </div>
  );
}
