/** Plain-text formatting shared by the console views. Times are shown in UTC. */
import { formatDuration } from '@clearance/client';

/** "2026-01-05 09:00 UTC" */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "in 23 h 59 min" or "5 min ago", relative to `now`. */
export function relativeTime(iso: string, now: Date): string {
  const delta = (Date.parse(iso) - now.getTime()) / 1000;
  if (Number.isNaN(delta)) return iso;
  const span = formatDuration(Math.floor(Math.abs(delta)));
  return delta >= 0 ? `in ${span}` : `${span} ago`;
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
