/**
 * A duration for people, by its two largest units, rounded down: "2 d 3 h", "1 h 30 min",
 * "45 min", "20 s", and under a second "250 ms". A second unit that comes to zero is left out
 * ("1 d"). The console and the CLI both write durations so.
 */
export function formatDuration(seconds: number): string {
  if (seconds > 0 && seconds < 1) return `${Math.floor(seconds * 1000)} ms`;
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const units: [number, string][] = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'min'],
  ];
  const first = units.findIndex(([n]) => n > 0);
  return units
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(' ');
}
