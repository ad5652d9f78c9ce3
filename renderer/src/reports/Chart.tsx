/**
 * One ECharts chart in a box that follows its container's width. ECharts is loaded on the first chart (a
 * dynamic import: its own chunk), then each chart draws its option and marks itself drawn once ECharts says
 * the rendering finished, which is what a test or the bench waits for, and says so with a `chart-drawn` event
 * that bubbles up to the screen (`firstChartDrawn`).
 */
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { useEffect, useRef } from 'react';

const CHART_DRAWN = 'chart-drawn';

/** Loads ECharts ahead of the first chart, so its chunk comes in while the screen's figures are read. */
export function preloadCharts(): void {
  void import('./echarts');
}

/** Resolves once any chart on the page has drawn, or after `patienceMs` (a screen with nothing to draw). */
export function firstChartDrawn(patienceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      document.removeEventListener(CHART_DRAWN, done);
      resolve();
    };
    const timer = setTimeout(done, patienceMs);
    document.addEventListener(CHART_DRAWN, done);
  });
}

export function Chart({
  option,
  label,
  testId,
  height = 280,
}: {
  option: EChartsCoreOption;
  /** What the chart shows, for screen readers (the table beside it has the exact figures). */
  label: string;
  testId?: string;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    void import('./echarts').then(({ init }) => {
      const element = box.current;
      if (disposed || element === null) return;
      const instance = init(element, undefined, { renderer: 'svg' });
      chart.current = instance;
      instance.on('finished', () => {
        element.setAttribute('data-drawn', 'true');
        element.dispatchEvent(new Event(CHART_DRAWN, { bubbles: true }));
      });
      observer = new ResizeObserver(() => instance.resize());
      observer.observe(element);
      element.dispatchEvent(new Event('chart-ready'));
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const apply = () => {
      box.current?.removeAttribute('data-drawn');
      chart.current?.setOption(option, { notMerge: true });
    };
    if (chart.current !== null) {
      apply();
      return;
    }
    const element = box.current;
    element?.addEventListener('chart-ready', apply, { once: true });
    return () => element?.removeEventListener('chart-ready', apply);
  }, [option]);

  // ECharts replaces the image's aria-label with its own description of the data once it draws; the figure
  // keeps the chart's name.
  return (
    <figure className="echart-figure" aria-label={label}>
      <div
        ref={box}
        className="echart"
        style={{ height }}
        role="img"
        aria-label={label}
        data-testid={testId}
      />
    </figure>
  );
}
