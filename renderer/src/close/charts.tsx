/**
 * The manager's charts as plain SVG: a line chart for trends, horizontal bars for rankings and shares, and the
 * weekday × hour heat map. Each chart sits beside its table, which carries the exact figures; the charts are
 * for the eye and scale to their container.
 */

export interface Series {
  name: string;
  values: readonly number[];
  /** A CSS class that gives the line its colour. */
  tone: 'a' | 'b';
}

export function LineChart({
  labels,
  series,
  format,
  title,
}: {
  labels: readonly string[];
  series: readonly Series[];
  format: (value: number) => string;
  title: string;
}) {
  const width = 640;
  const height = 220;
  const pad = { left: 64, right: 12, top: 12, bottom: 28 };
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (i: number) =>
    pad.left + (labels.length <= 1 ? 0 : (i * (width - pad.left - pad.right)) / (labels.length - 1));
  const y = (v: number) => height - pad.bottom - (v / max) * (height - pad.top - pad.bottom);
  const step = Math.max(1, Math.ceil(labels.length / 8));
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
      <line className="chart-axis" x1={pad.left} y1={y(0)} x2={width - pad.right} y2={y(0)} />
      <text className="chart-tick" x={pad.left - 6} y={y(max) + 4} textAnchor="end">
        {format(max)}
      </text>
      <text className="chart-tick" x={pad.left - 6} y={y(0)} textAnchor="end">
        {format(0)}
      </text>
      {labels.map((label, i) =>
        i % step === 0 ? (
          <text key={label} className="chart-tick" x={x(i)} y={height - 8} textAnchor="middle">
            {label.length > 7 ? label.slice(5) : label}
          </text>
        ) : null,
      )}
      {series.map((s) => (
        <g key={s.name} className={`chart-series chart-tone-${s.tone}`}>
          <polyline fill="none" points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')} />
          {s.values.map((v, i) => (
            <circle key={labels[i]} cx={x(i)} cy={y(v)} r={2.5}>
              <title>{`${labels[i]} ${s.name} ${format(v)}`}</title>
            </circle>
          ))}
        </g>
      ))}
      <g className="chart-legend">
        {series.map((s, i) => (
          <text key={s.name} className={`chart-tone-${s.tone}`} x={pad.left + 8 + i * 140} y={pad.top + 10}>
            ■ {s.name}
          </text>
        ))}
      </g>
    </svg>
  );
}

export function BarChart({
  items,
  format,
  title,
}: {
  items: ReadonlyArray<{ label: string; value: number }>;
  format: (value: number) => string;
  title: string;
}) {
  const row = 24;
  const width = 640;
  const labelWidth = 150;
  const valueWidth = 110;
  const height = Math.max(row, items.length * row) + 4;
  const max = Math.max(1, ...items.map((item) => item.value));
  const span = width - labelWidth - valueWidth;
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
      {items.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a bar's place in the ranking is its identity (names repeat)
        <g key={`${item.label}-${i}`} transform={`translate(0 ${i * row + 2})`}>
          <text className="chart-label" x={labelWidth - 8} y={row / 2 + 4} textAnchor="end">
            {item.label.length > 14 ? `${item.label.slice(0, 13)}…` : item.label}
          </text>
          <rect
            className="chart-bar"
            x={labelWidth}
            y={3}
            height={row - 8}
            width={(Math.max(0, item.value) / max) * span}
          />
          <text
            className="chart-tick"
            x={labelWidth + (Math.max(0, item.value) / max) * span + 6}
            y={row / 2 + 4}
          >
            {format(item.value)}
          </text>
        </g>
      ))}
    </svg>
  );
}

export function HeatMap({
  rows,
  counts,
  title,
}: {
  rows: readonly string[];
  counts: ReadonlyArray<readonly number[]>;
  title: string;
}) {
  const cell = 24;
  const left = 56;
  const top = 18;
  const max = Math.max(1, ...counts.flat());
  return (
    <svg
      className="chart heatmap"
      viewBox={`0 0 ${left + 24 * cell + 4} ${top + rows.length * cell + 4}`}
      role="img"
      aria-label={title}
    >
      {Array.from({ length: 24 }, (_, hour) =>
        hour % 3 === 0 ? (
          <text
            // biome-ignore lint/suspicious/noArrayIndexKey: the hour of the day is the column's identity
            key={`h${hour}`}
            className="chart-tick"
            x={left + hour * cell + cell / 2}
            y={12}
            textAnchor="middle"
          >
            {hour}
          </text>
        ) : null,
      )}
      {rows.map((label, r) => (
        <g key={label}>
          <text className="chart-label" x={left - 6} y={top + r * cell + cell / 2 + 4} textAnchor="end">
            {label}
          </text>
          {Array.from({ length: 24 }, (_, hour) => {
            const n = counts[r]?.[hour] ?? 0;
            return (
              <rect
                // biome-ignore lint/suspicious/noArrayIndexKey: the hour of the day is the cell's identity
                key={`${label}-${hour}`}
                className="heat-cell"
                x={left + hour * cell}
                y={top + r * cell}
                width={cell - 2}
                height={cell - 2}
                style={{ fillOpacity: n === 0 ? 0.05 : 0.15 + (0.85 * n) / max }}
              >
                <title>{`${label} ${hour}:00 · ${n}`}</title>
              </rect>
            );
          })}
        </g>
      ))}
    </svg>
  );
}
