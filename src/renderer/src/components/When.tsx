/**
 * One way to show a moment: the date and the time to the minute ("5 Dec 2026, 08:45"), with the exact
 * time, seconds and time zone, on hover and for screen readers through `<time dateTime>`.
 */
export const shortTime = (ms: number): string =>
  new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const exactTime = (ms: number): string =>
  new Date(ms).toLocaleString(undefined, {
    dateStyle: 'full',
    timeStyle: 'long',
  });

export function When({ at }: { at: number }) {
  return (
    <time dateTime={new Date(at).toISOString()} title={exactTime(at)}>
      {shortTime(at)}
    </time>
  );
}
