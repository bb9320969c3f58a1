import { describe, expect, it } from 'vitest';
import { chartBars, chartSize, renderBarChart, truncateLabel } from '../../agents/data/bar-chart.js';

/** Width and height from the PNG's IHDR chunk (bytes 16-23, big-endian). */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('bar chart', () => {
  const data = [
    { label: 'pilot:1305/exe:65 Non-zero return code from EVNTtoHITS (139)', value: 20 },
    { label: 'pilot:1235 Payload exceeded maximum allowed memory', value: 21 },
    { label: 'pilot:1201 Job killed by signal: SIGTERM', value: 13 },
    { label: 'jobdispatcher:100 lost heartbeat : <TIME>', value: 7 },
    ...Array.from({ length: 9 }, (_, i) => ({ label: `pilot:${1100 + i} minor failure ${i}`, value: 1 })),
  ];

  it('renders a PNG of the expected size with the largest groups first', async () => {
    const chart = await renderBarChart(data, { title: 'Task 1: failed jobs by signature', valueTitle: 'failed jobs' });
    expect([...chart.png.slice(0, 8)]).toEqual(SIGNATURE);
    expect(String.fromCharCode(...chart.png.slice(12, 16))).toBe('IHDR');
    // at most 10 bars: 9 largest + "other (4)"
    expect(chart.bars).toHaveLength(10);
    expect(pngSize(chart.png)).toEqual(chartSize(10));
    expect({ width: chart.width, height: chart.height }).toEqual(chartSize(10));
    expect(chart.bars.map((b) => b.value).slice(0, 4)).toEqual([21, 20, 13, 7]);
    expect(chart.bars[9]).toEqual({ label: 'other (4)', value: 4 });

    // the spec carries the bars in that order, and the SVG draws their labels top to bottom
    const values = (chart.spec as { data: { values: Array<{ label: string; order: number }> } }).data.values;
    expect(values.map((v) => v.label)).toEqual(chart.bars.map((b) => b.label));
    const positions = chart.bars.slice(0, 4).map((b) => {
      const escaped = b.label.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const at = chart.svg.indexOf(`>${escaped}</text>`);
      expect(at).toBeGreaterThan(0);
      const open = chart.svg.lastIndexOf('<text', at);
      const m = /translate\(([\d.]+),([\d.]+)\)/.exec(chart.svg.slice(open, at));
      return Number(m?.[2]);
    });
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(chart.svg).toContain('Task 1: failed jobs by signature');
  });

  it('sizes the image by the number of bars and truncates long labels', async () => {
    const chart = await renderBarChart(
      [
        { label: 'x'.repeat(200), value: 3 },
        { label: 'RAL', value: 1 },
      ],
      { title: 'short', valueTitle: 'jobs', maxLabelLength: 40 },
    );
    expect(pngSize(chart.png)).toEqual(chartSize(2));
    expect(chart.bars[0]?.label).toHaveLength(40);
    expect(chart.bars[0]?.label.endsWith('…')).toBe(true);
  });

  it('keeps bars distinct when truncation makes labels equal, and drops empty groups', () => {
    const bars = chartBars(
      [
        { label: 'abcdefghij-1', value: 2 },
        { label: 'abcdefghij-2', value: 1 },
        { label: 'zero', value: 0 },
      ],
      10,
      8,
    );
    expect(bars).toHaveLength(2);
    expect(new Set(bars.map((b) => b.label)).size).toBe(2);
    expect(truncateLabel('  a   b ', 10)).toBe('a b');
  });
});
