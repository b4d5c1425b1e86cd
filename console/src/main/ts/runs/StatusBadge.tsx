/** A run's status (or its history status) as a word on a colour; the word carries the meaning, so colour is never the only cue. */
import type { HistoryStatus, RunStatus } from '@tributary/sdk';
import { words } from '../format';

export function StatusBadge({ status, cancelRequested }: { status: RunStatus | HistoryStatus; cancelRequested?: boolean }) {
  return (
    <span class={`status status-${status}`}>
      {words(status)}{cancelRequested && status === 'running' ? ' (stopping)' : ''}
    </span>
  );
}
