import { describe, expect, it } from 'vitest';
import { barChart } from './svg-chart.js';

describe('barChart', () => {
  it('draws one bar per value, scaled to the largest, with its label, value and the aim', () => {
    const svg = barChart([
      {
        title: 'first use <over no-op>',
        unit: 'ms',
        bars: [
          { label: '10', value: 5 },
          { label: '10,000', value: 40 },
        ],
        aim: 20,
      },
    ]);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
    expect(svg).toContain('height="160.0"');
    expect(svg).toContain('height="20.0"');
    expect(svg).toContain('>10,000</text>');
    expect(svg).toContain('>aim 20.0</text>');
    expect(svg).toContain('first use &lt;over no-op&gt; (ms)');
  });
});
