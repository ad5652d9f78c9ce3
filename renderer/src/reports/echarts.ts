/**
 * Apache ECharts as the reports screen uses it: only the chart types and components its charts need, drawn as
 * SVG (crisp on screen and when the daily report is printed or saved as PDF). Imported lazily by Chart.tsx, so
 * the library is a chunk of its own that only the reports screen loads; the counter never downloads it.
 */
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([
  LineChart,
  BarChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  AriaComponent,
  SVGRenderer,
]);

export { init };
