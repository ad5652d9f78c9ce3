/**
 * ECharts options for the reports' charts, built from the same rows their tables show: a line chart for
 * trends, grouped bars for gross / voided / net, horizontal bars for rankings and shares, and the weekday ×
 * hour heat map. Every chart has a tooltip and, with more than one series, a legend; labels use the screen's
 * CJK font so Chinese names read as on the table.
 */
import type { EChartsCoreOption } from 'echarts/core';

/** The screen's font (styles.css), so chart labels match the tables beside them. */
export const CHART_FONT =
  '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif';

const COLOURS = ['#1f5fbf', '#c47f00', '#137333', '#b3261e', '#6b4fbb'];

export interface ChartSeries {
  name: string;
  values: readonly number[];
}

/** Axis ticks can fall between whole numbers; an amount label is always written in whole fen. */
const whole = (format: (value: number) => string) => (value: number) => format(Math.round(value));

const base = (legend: boolean): EChartsCoreOption => ({
  color: COLOURS,
  textStyle: { fontFamily: CHART_FONT, fontSize: 13 },
  animation: false,
  aria: { enabled: true },
  grid: { left: 8, right: 16, top: legend ? 36 : 12, bottom: 8, containLabel: true },
  ...(legend ? { legend: { top: 0, textStyle: { fontFamily: CHART_FONT, fontSize: 13 } } } : {}),
});

export function lineOption(input: {
  labels: readonly string[];
  series: readonly ChartSeries[];
  format: (value: number) => string;
}): EChartsCoreOption {
  return {
    ...base(input.series.length > 1),
    tooltip: { trigger: 'axis', valueFormatter: whole(input.format) },
    xAxis: { type: 'category', data: [...input.labels], axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: whole(input.format) } },
    series: input.series.map((s) => ({
      name: s.name,
      type: 'line',
      data: [...s.values],
      showSymbol: input.labels.length <= 62,
    })),
  };
}

/** Bars per label, one bar per series side by side (vertical), or a ranking (horizontal, first on top). */
export function barOption(input: {
  labels: readonly string[];
  series: readonly ChartSeries[];
  format: (value: number) => string;
  horizontal?: boolean;
}): EChartsCoreOption {
  const category = {
    type: 'category',
    data: [...input.labels],
    axisLabel: { interval: 0, width: 120, overflow: 'truncate' },
    ...(input.horizontal ? { inverse: true } : {}),
  };
  const value = { type: 'value', minInterval: 1, axisLabel: { formatter: whole(input.format) } };
  return {
    ...base(input.series.length > 1),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: whole(input.format) },
    xAxis: input.horizontal ? value : category,
    yAxis: input.horizontal ? category : value,
    series: input.series.map((s) => ({
      name: s.name,
      type: 'bar',
      data: [...s.values],
      label: {
        show: input.labels.length * input.series.length <= 24,
        position: input.horizontal ? 'right' : 'top',
        formatter: (p: { value: number }) => whole(input.format)(p.value),
      },
    })),
  };
}

/** Operations by weekday (rows) and hour 0–23 (columns), darker where busier. */
export function heatmapOption(input: {
  rows: readonly string[];
  counts: ReadonlyArray<readonly number[]>;
  name: string;
}): EChartsCoreOption {
  const data: Array<[number, number, number]> = [];
  let max = 1;
  input.rows.forEach((_, r) => {
    for (let hour = 0; hour < 24; hour += 1) {
      const n = input.counts[r]?.[hour] ?? 0;
      max = Math.max(max, n);
      data.push([hour, r, n]);
    }
  });
  return {
    ...base(false),
    grid: { left: 8, right: 16, top: 12, bottom: 48, containLabel: true },
    tooltip: {
      formatter: (p: { value: [number, number, number] }) =>
        `${input.rows[p.value[1]]} ${String(p.value[0]).padStart(2, '0')}:00–${String(p.value[0]).padStart(2, '0')}:59 · ${input.name} ${p.value[2]}`,
    },
    xAxis: {
      type: 'category',
      data: Array.from({ length: 24 }, (_, h) => String(h)),
      splitArea: { show: true },
    },
    yAxis: { type: 'category', data: [...input.rows], inverse: true, splitArea: { show: true } },
    visualMap: {
      min: 0,
      max,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ['#f4f6f9', '#f2b8b5', '#b3261e'] },
      textStyle: { fontFamily: CHART_FONT },
    },
    series: [{ name: input.name, type: 'heatmap', data, emphasis: { itemStyle: { borderColor: '#333' } } }],
  };
}
