/**
 * The date range every report follows: today, this week, this month, or two business days the manager types
 * as YYYY-MM-DD, the one way these screens write a date (a browser's date field would write it its own way).
 */
import { useEffect, useId, useState } from 'react';
import type { T } from '../i18n/use-t';
import { type DayRange, type Preset, presetOf, presetRange } from './ranges';

const DAY_PATTERN = String.raw`\d{4}-\d{2}-\d{2}`;

export function RangePicker({
  today,
  range,
  onChange,
  t,
  disabled,
}: {
  /** The store's open business day. */
  today: string;
  range: DayRange;
  onChange: (range: DayRange) => void;
  t: T;
  disabled: boolean;
}) {
  const [custom, setCustom] = useState<DayRange>(range);
  const [customOpen, setCustomOpen] = useState(presetOf(range, today) === 'custom');
  useEffect(() => setCustom(range), [range]);
  const pressed: Preset = customOpen ? 'custom' : presetOf(range, today);
  const name = useId();
  return (
    // biome-ignore lint/a11y/useSemanticElements: a fieldset's legend will not sit in the toolbar's flex row; the role names the group
    <div className="close-panel close-toolbar range-picker no-print" role="group" aria-labelledby={name}>
      <span id={name}>{t('reports.range')}</span>
      <div className="segmented">
        {(['today', 'week', 'month', 'custom'] as const).map((preset) => (
          <button
            key={preset}
            type="button"
            disabled={disabled}
            aria-pressed={pressed === preset}
            className={pressed === preset ? 'selected' : ''}
            onClick={() => {
              if (preset === 'custom') {
                setCustomOpen(true);
                return;
              }
              setCustomOpen(false);
              onChange(presetRange(preset, today));
            }}
          >
            {t(`reports.range.${preset}`)}
          </button>
        ))}
      </div>
      {customOpen && (
        <form
          className="range-custom"
          onSubmit={(event) => {
            event.preventDefault();
            if (custom.fromDay !== '' && custom.toDay !== '') onChange(custom);
          }}
        >
          <label className="field">
            {t('reports.range.from')}
            <input
              type="text"
              inputMode="numeric"
              placeholder="YYYY-MM-DD"
              pattern={DAY_PATTERN}
              value={custom.fromDay}
              onChange={(event) => setCustom({ ...custom, fromDay: event.target.value })}
            />
          </label>
          <label className="field">
            {t('reports.range.to')}
            <input
              type="text"
              inputMode="numeric"
              placeholder="YYYY-MM-DD"
              pattern={DAY_PATTERN}
              value={custom.toDay}
              onChange={(event) => setCustom({ ...custom, toDay: event.target.value })}
            />
          </label>
          <button type="submit" className="primary" disabled={disabled}>
            {t('reports.range.apply')}
          </button>
        </form>
      )}
    </div>
  );
}
