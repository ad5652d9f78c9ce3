/**
 * One ECharts chart in a box that follows its container's width. ECharts is loaded on the first chart (a
 * dynamic import: its own chunk), then each chart draws its option and marks itself drawn once ECharts says
 * the rendering finished, which is what a test or the bench waits for.
 */
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { useEffect, useRef } from 'react';

export function Chart({
  option,
  label,
  testId,
  height = 280,
}: {
  option: EChartsCoreOption;
  /** What the chart shows, for screen readers (the table beside it has the exact figures). */
  label: string;
  testId: string;
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
      instance.on('finished', () => element.setAttribute('data-drawn', 'true'));
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

  return (
    <div ref={box} className="echart" style={{ height }} role="img" aria-label={label} data-testid={testId} />
  );
}
