/**
 * Relative times for people: "in 12 min", "3 h ago", "now". Pure, so the renderer can re-run it every
 * second and the engine can use the same words in its reasons ("expired 3 h ago").
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A length of time in the largest unit that keeps it readable: "45 s", "12 min", "3 h", "5 days". */
export function formatDuration(ms: number): string {
  const d = Math.abs(ms);
  if (d < MINUTE) return `${Math.floor(d / SECOND)} s`;
  if (d < HOUR) return `${Math.floor(d / MINUTE)} min`;
  if (d < 2 * DAY) {
    const h = Math.floor(d / HOUR);
    const m = Math.floor((d % HOUR) / MINUTE);
    return m && h < 10 ? `${h} h ${m} min` : `${h} h`;
  }
  const days = Math.floor(d / DAY);
  if (days < 60) return `${days} days`;
  if (days < 730) return `${Math.floor(days / 30)} months`;
  return `${Math.floor(days / 365)} years`;
}

/** `at` relative to `now` (both epoch milliseconds): "in 12 min", "3 h ago", or "now" within a second. */
export function relativeTime(at: number, now: number): string {
  const diff = at - now;
  if (Math.abs(diff) < SECOND) return 'now';
  return diff > 0 ? `in ${formatDuration(diff)}` : `${formatDuration(diff)} ago`;
}

/** A JWT NumericDate (seconds since the epoch, RFC 7519 §2) as epoch milliseconds. */
export const numericDateToMs = (seconds: number): number => seconds * 1000;
