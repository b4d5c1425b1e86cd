/** What a run's status allows: whether it still moves, whether it can be cancelled or run again. */
import { RunStatus } from '@tributary/sdk';

/** A run that is waiting, running or waiting to retry: its counts and status can still change. */
export function isActive(status: RunStatus): boolean {
  return status === RunStatus.Queued || status === RunStatus.Running || status === RunStatus.RetryScheduled;
}

/** What the API cancels (`cancelSyncRun`): any run not finished yet — at once while waiting, at its next page while running. */
export function isCancellable(status: RunStatus, cancelRequested: boolean): boolean {
  return isActive(status) && !cancelRequested;
}

/** What the API runs again (`rerunSyncRun`): a failed, dead-lettered or cancelled run. */
export function isRerunnable(status: RunStatus): boolean {
  return status === RunStatus.Failed || status === RunStatus.DeadLettered || status === RunStatus.Cancelled;
}

/** Every status, in the order a run goes through them, for the Runs filter. */
export const STATUSES: readonly RunStatus[] = [
  RunStatus.Queued, RunStatus.Running, RunStatus.RetryScheduled, RunStatus.Completed,
  RunStatus.CompletedWithErrors, RunStatus.Failed, RunStatus.DeadLettered, RunStatus.Cancelled,
];
