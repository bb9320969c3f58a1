/**
 * Server-side horizontal bar chart: a vega-lite spec compiled to vega, rendered to SVG headless
 * (no canvas), then rasterised to PNG with resvg. Sized and lettered for chat thumbnails: at most
 * `maxBars` bars, big fonts, labels truncated with an ellipsis, the count printed at each bar.
 */
import type { TopLevelSpec } from 'vega-lite';

export interface BarDatum {
  label: string;
  value: number;
}

export interface BarChartOptions {
  title: string;
  /** Axis title of the values, e.g. "failed jobs". */
  valueTitle: string;
  /** PNG width; the height follows from the number of bars (`chartSize`). */
  width?: number;
  maxBars?: number;
  maxLabelLength?: number;
}

export interface RenderedChart {
  png: Uint8Array;
  svg: string;
  width: number;
  height: number;
  /** The bars drawn, top to bottom (after grouping the tail into "other"). */
  bars: BarDatum[];
  spec: TopLevelSpec;
}

const FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';

export function truncateLabel(label: string, max: number): string {
  const flat = label.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

/** Largest first; beyond `maxBars - 1` groups the rest become one "other (N)" bar. */
export function chartBars(data: BarDatum[], maxBars: number, maxLabelLength: number): BarDatum[] {
  const sorted = [...data].filter((d) => d.value > 0).sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  const keep = sorted.length > maxBars ? sorted.slice(0, maxBars - 1) : sorted;
  const rest = sorted.slice(keep.length);
  const bars = keep.map((d) => ({ label: truncateLabel(d.label, maxLabelLength), value: d.value }));
  // Truncation can make two labels equal; vega would then merge their bars.
  const seen = new Map<string, number>();
  for (const bar of bars) {
    const n = (seen.get(bar.label) ?? 0) + 1;
    seen.set(bar.label, n);
    if (n > 1) bar.label = truncateLabel(`${bar.label.replace(/…$/, '')} #${n}`, maxLabelLength + 3);
  }
  if (rest.length > 0) bars.push({ label: `other (${rest.length})`, value: rest.reduce((s, d) => s + d.value, 0) });
  return bars;
}

const PAD = { left: 16, right: 48, top: 60, bottom: 64 };

/** PNG size: the plot (56 px per bar: a label line and the bar) plus room for title and axis. */
export function chartSize(barCount: number, width = 640): { width: number; height: number } {
  return { width, height: PAD.top + PAD.bottom + 56 * Math.max(1, barCount) };
}

export function barChartSpec(bars: BarDatum[], options: BarChartOptions): TopLevelSpec {
  const size = chartSize(bars.length, options.width ?? 640);
  // autosize "none": text marks do not push the layout around (vega measures text without a
  // canvas and over-estimates it); the padding holds the title, the axis and the value labels.
  const width = size.width - PAD.left - PAD.right;
  const height = size.height - PAD.top - PAD.bottom;
  const values = bars.map((b, i) => ({ label: b.label, value: b.value, order: i }));
  const text = { font: FONT, fontSize: 19, color: '#222' };
  // Labels sit on their own line above each bar, so long signatures use the whole width instead
  // of a y-axis column (vega estimates text width without a canvas, and over-estimates it).
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height,
    autosize: { type: 'none' },
    padding: PAD,
    background: 'white',
    title: { text: options.title, fontSize: 24, font: FONT, anchor: 'start', color: '#222', offset: 12 },
    data: { values },
    encoding: {
      y: { field: 'order', type: 'ordinal', axis: null, scale: { paddingInner: 0.05, paddingOuter: 0 } },
    },
    layer: [
      {
        mark: { type: 'bar', color: '#c0392b', cornerRadiusEnd: 3, height: 22, yOffset: 12 },
        encoding: {
          x: {
            field: 'value',
            type: 'quantitative',
            scale: { nice: true },
            axis: {
              title: options.valueTitle,
              titleFontSize: 18,
              labelFontSize: 16,
              titleFont: FONT,
              labelFont: FONT,
              tickMinStep: 1,
              tickCount: 6,
              grid: true,
              gridColor: '#e5e5e5',
            },
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, yOffset: 12, fontWeight: 'bold', ...text },
        encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'value', type: 'quantitative' } },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', x: 0, yOffset: -12, ...text },
        encoding: { text: { field: 'label', type: 'nominal' } },
      },
    ],
    config: { view: { stroke: null }, font: FONT },
  } as TopLevelSpec;
}

export async function renderBarChart(data: BarDatum[], options: BarChartOptions): Promise<RenderedChart> {
  const bars = chartBars(data, options.maxBars ?? 10, options.maxLabelLength ?? 52);
  const spec = barChartSpec(bars, options);
  // Loaded on first use: vega-lite is heavy and patches Set.prototype.toJSON, which breaks discord.js
  // when it loads first; a bot that never draws a chart never loads it.
  const [vega, { compile }, { Resvg }] = await Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const rendered = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: 'white' }).render();
    return { png: new Uint8Array(rendered.asPng()), svg, width: rendered.width, height: rendered.height, bars, spec };
  } finally {
    view.finalize();
  }
}
