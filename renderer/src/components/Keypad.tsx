/** A touch keypad; the physical keyboard drives the same actions from the counter's key handler. */
const KEYS = ['7', '8', '9', '4', '5', '6', '1', '2', '3', '0', '.'] as const;

export function Keypad(props: { onKey: (key: string) => void; onBackspace: () => void; disabled?: boolean }) {
  return (
    <div className="keypad">
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
