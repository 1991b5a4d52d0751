// Apache ECharts, imported piece by piece (bar charts, SVG renderer) to keep the bundle small.
import { useEffect, useRef } from 'preact/hooks';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, MarkLineComponent, LegendComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TooltipComponent, MarkLineComponent, LegendComponent, SVGRenderer]);

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';

/** One chart; `label` describes it for screen readers (the table beside it has the figures). */
export function Chart({ option, height = 240, label }) {
  const el = useRef(null);
  const chart = useRef(null);
  useEffect(() => {
    chart.current = echarts.init(el.current, null, { renderer: 'svg' });
    const ro = new ResizeObserver(() => chart.current?.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      chart.current.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, textStyle: { fontFamily: FONT }, ...option }, true);
  }, [option]);
  return <div class="chart" ref={el} style={{ height: `${height}px` }} role="img" aria-label={label} />;
}

/**
 * A horizontal bar chart of rows { name, value, tip, color }: one bar per row, the tooltip
 * shows the row's `tip` (numerator and denominator).
 */
export function barOption(rows, { unit = '', max, markAt, valueFmt = (v) => v } = {}) {
  return {
    grid: { left: 8, right: 96, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p) => `${escapeHtml(p.name)}<br/>${escapeHtml(rows[p.dataIndex].tip)}`,
    },
    xAxis: { type: 'value', max, axisLabel: { formatter: (v) => valueFmt(v) + unit, color: '#333' } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => r.name),
      axisLabel: { width: 170, overflow: 'truncate', color: '#222' },
    },
    series: [
      {
        type: 'bar',
        data: rows.map((r) => ({ value: r.value, itemStyle: { color: r.color ?? '#a50e0e' } })),
        label: { show: true, position: 'right', formatter: (p) => rows[p.dataIndex].barLabel ?? '', color: '#222' },
        barMaxWidth: 22,
        markLine: markAt == null ? undefined : {
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#222', type: 'dashed' },
          label: { formatter: `${valueFmt(markAt)}${unit}`, color: '#222', position: 'end' },
          data: [{ xAxis: markAt }],
        },
      },
    ],
  };
}

export function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
