/** Plain-text formatting shared by the console views. Times are shown in UTC. */

/** "2026-01-05 09:00 UTC" */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "2 d 3 h", "1 h 30 min", "45 min", "20 s": the two largest units. */
export function formatDuration(seconds: number): string {
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

/** "in 23 h 59 min" or "5 min ago", relative to `now`. */
export function relativeTime(iso: string, now: Date): string {
  const delta = (Date.parse(iso) - now.getTime()) / 1000;
  if (Number.isNaN(delta)) return iso;
  return delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`;
}

/** The resource name at the end of a Pulumi URN (`urn:pulumi:stack::project::type::name`). */
export function resourceName(urn: string): string {
  const name = urn.split('::').at(-1);
  return name && name.length > 0 ? name : urn;
}

const presetDurations = [15 * 60, 30 * 60, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 86_400, 7 * 86_400];

/** Durations an approver may grant: presets up to the rule's maximum, the maximum itself, and the one asked for. */
export function durationChoices(maxSeconds: number, requested?: number): number[] {
  const choices = new Set(presetDurations.filter((d) => d < maxSeconds));
  choices.add(maxSeconds);
  if (requested !== undefined && requested > 0 && requested <= maxSeconds) choices.add(requested);
  return [...choices].sort((a, b) => a - b);
}

/** The preselected duration: what the requester asked for when allowed, else the maximum. */
export function defaultDuration(maxSeconds: number, requested?: number): number {
  return requested !== undefined && requested > 0 && requested <= maxSeconds
    ? requested
    : maxSeconds;
}
