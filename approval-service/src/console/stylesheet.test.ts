import { describe, expect, it } from 'vitest';
import { stylesheet } from './stylesheet.js';

/** The colour variables of the stylesheet's `:root` block. */
function palette(): Map<string, string> {
  const root = /:root\s*{([^}]*)}/.exec(stylesheet)?.[1] ?? '';
  const vars = new Map<string, string>();
  for (const m of root.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)) {
    if (m[1] && m[2]) vars.set(m[1], m[2].toLowerCase());
  }
  return vars;
}

/** WCAG 2 relative luminance of a `#rrggbb` colour. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r = 0, g = 0, b = 0] = channels.map((c) =>
    c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
  );
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two colours (1 to 21). */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Text colour on background, as the stylesheet pairs them. */
const textPairs: [string, string][] = [
  ['ink', 'bg'],
  ['ink', 'card'],
  ['ink', 'subtle-bg'],
  ['ink', 'info-bg'],
  ['muted', 'bg'],
  ['muted', 'card'],
  ['muted', 'subtle-bg'],
  ['brand', 'bg'],
  ['brand', 'card'],
  ['brand-ink', 'brand'],
  ['brand-ink', 'ok'],
  ['brand-ink', 'bad'],
  ['ok', 'ok-bg'],
  ['bad', 'bad-bg'],
  ['warn', 'warn-bg'],
];

/** Focus outlines and field borders against what surrounds them. */
const nonTextPairs: [string, string][] = [
  ['focus', 'bg'],
  ['focus', 'card'],
  ['focus-on-brand', 'brand'],
  ['field-line', 'card'],
];

describe('console stylesheet', () => {
  it('takes every colour from the palette in :root', () => {
    const rules = stylesheet.replace(/:root\s*{[^}]*}/, '');
    expect(rules).not.toMatch(/#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/i);
    const used = new Set([...rules.matchAll(/var\(--([\w-]+)\)/g)].map((m) => m[1]));
    const vars = palette();
    for (const name of used) expect(vars.has(name ?? ''), `--${name} is defined`).toBe(true);
  });

  it.each(textPairs)('text %s on %s has a contrast of at least 4.5:1', (fg, bg) => {
    const vars = palette();
    expect(contrast(vars.get(fg) ?? '', vars.get(bg) ?? '')).toBeGreaterThanOrEqual(4.5);
  });

  it.each(nonTextPairs)('%s against %s has a contrast of at least 3:1', (fg, bg) => {
    const vars = palette();
    expect(contrast(vars.get(fg) ?? '', vars.get(bg) ?? '')).toBeGreaterThanOrEqual(3);
  });

  it('measures contrast as WCAG defines it', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrast('#ffffff', '#ffffff')).toBe(1);
  });

  it('shows a visible outline on keyboard focus', () => {
    expect(stylesheet).toMatch(/:focus-visible\s*{\s*outline:\s*3px solid var\(--focus\)/);
  });
});
