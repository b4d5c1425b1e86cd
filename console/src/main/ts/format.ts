/** How times, durations and counts read in the console: in the browser's locale and time zone, exact on hover. */

const TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const COUNT = new Intl.NumberFormat();

export function formatTime(time: Date | null | undefined): string {
  return time ? TIME.format(time) : '—';
}

/** The ISO-8601 instant, for a `<time datetime>` and its tooltip. */
export function isoTime(time: Date | null | undefined): string | undefined {
  return time ? time.toISOString() : undefined;
}

/** 850 ms, 12.4 s, 3 min 05 s, 2 h 07 min. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')} min`;
}

export function formatCount(count: number | null | undefined): string {
  return count === null || count === undefined ? '—' : COUNT.format(count);
}

/** `completed_with_errors` → `completed with errors`. */
export function words(value: string): string {
  return value.replace(/_/g, ' ');
}
