/** One bar of a chart: its label under it and its value. */
export interface Bar {
  label: string;
  value: number;
}

export interface BarGroup {
  title: string;
  unit: string;
  bars: Bar[];
  /** A dashed line at the aim, when there is one. */
  aim?: number;
}

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A plain SVG of bar groups side by side, each scaled to its own largest value (or its aim),
 * the value written above each bar.
 */
export function barChart(groups: readonly BarGroup[]): string {
  const barWidth = 56;
  const gap = 16;
  const plotHeight = 160;
  const top = 40;
  const groupWidths = groups.map((g) => g.bars.length * (barWidth + gap) + gap);
  const width = groupWidths.reduce((a, b) => a + b + 24, 24);
  const height = top + plotHeight + 48;
  const parts: string[] = [];
  let x0 = 24;
  groups.forEach((group, gi) => {
    const max = Math.max(group.aim ?? 0, ...group.bars.map((b) => b.value)) || 1;
    const y = (v: number) => top + plotHeight - (v / max) * plotHeight;
    parts.push(
      `<text x="${x0}" y="20" font-weight="bold">${escape(group.title)} (${escape(group.unit)})</text>`,
      `<line x1="${x0}" y1="${top + plotHeight}" x2="${x0 + groupWidths[gi]!}" y2="${top + plotHeight}" stroke="#333"/>`,
    );
    group.bars.forEach((bar, i) => {
      const x = x0 + gap + i * (barWidth + gap);
      const barTop = y(Math.max(0, bar.value));
      parts.push(
        `<rect x="${x}" y="${barTop.toFixed(1)}" width="${barWidth}" height="${(top + plotHeight - barTop).toFixed(1)}" fill="#4a78b5"/>`,
        `<text x="${x + barWidth / 2}" y="${(barTop - 4).toFixed(1)}" text-anchor="middle">${escape(formatValue(bar.value))}</text>`,
        `<text x="${x + barWidth / 2}" y="${top + plotHeight + 16}" text-anchor="middle">${escape(bar.label)}</text>`,
      );
    });
    if (group.aim !== undefined) {
      const ay = y(group.aim).toFixed(1);
      parts.push(
        `<line x1="${x0}" y1="${ay}" x2="${x0 + groupWidths[gi]!}" y2="${ay}" stroke="#c0392b" stroke-dasharray="4 3"/>`,
        `<text x="${x0 + groupWidths[gi]!}" y="${(Number(ay) - 4).toFixed(1)}" text-anchor="end" fill="#c0392b">aim ${escape(formatValue(group.aim))}</text>`,
      );
    }
    x0 += groupWidths[gi]! + 24;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function formatValue(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}
