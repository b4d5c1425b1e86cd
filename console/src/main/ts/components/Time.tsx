/** A point in time, readable in the browser's zone and exact (ISO-8601, UTC) for machines and on hover. */
import { formatTime, isoTime } from '../format';

export function Time({ value }: { value: Date | null | undefined }) {
  const iso = isoTime(value);
  return iso ? <time dateTime={iso} title={iso}>{formatTime(value)}</time> : <span>—</span>;
}
