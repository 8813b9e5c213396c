import { describe, expect, it } from 'vitest';
import { lineChartSvg } from './plot';

const labels = (svg: string) => [...svg.matchAll(/<text[^>]*text-anchor="middle">([^<]+)<\/text>/g)].map((m) => m[1]);

describe('lineChartSvg', () => {
  it('labels a log axis with whole decades covering the data', () => {
    const svg = lineChartSvg([{ label: 'commit', points: [[9706, 5], [99670, 15], [999382, 125], [9998575, 1203]], color: '#000' }],
      { title: 't', xLabel: 'params', yLabel: 'ms', logX: true, logY: true });
    const x = labels(svg).filter((l) => l.startsWith('1e'));
    expect(x).toEqual(['1e3', '1e4', '1e5', '1e6', '1e7']);
    expect(svg).not.toMatch(/1e\d\.\d/);
  });

  it('uses round ticks on a linear axis and merges markers at the same x', () => {
    const svg = lineChartSvg([{ label: 'loss', points: [[1, 1.2], [60, 0.5]], color: '#000' }],
      { title: 't', xLabel: 'step', yLabel: 'loss', markers: [[30, 'restore @ 30'], [30, 'crash @ 30']] });
    expect(labels(svg)).toEqual(expect.arrayContaining(['10', '20', '30', '40', '50', '60']));
    expect(svg).toContain('restore @ 30, crash @ 30');
  });
});
