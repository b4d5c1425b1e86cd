/**
 * One run in detail — status, counts, attempts, notes, errors, the records it failed on, a dry run's preview, a
 * push's items — polled while it moves; and its two actions, cancel and run again, each asked for in a dialog
 * first. Both need `sync:admin`: a credential without it sees them disabled and why, rather than a 403 after.
 */
import type { QueuedRun, SyncRun } from '@tributary/sdk';
import { useState } from 'preact/hooks';
import { shownError, type Clients, type ShownError } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ProblemAlert } from '../components/ProblemAlert';
import { Section, Table } from '../components/Table';
import { Time } from '../components/Time';
import { formatCount, formatDuration, words } from '../format';
import { useLive } from '../live';
import { routeHref } from '../route';
import { holds, Role, type Session } from '../session';
import { isActive, isCancellable, isRerunnable } from './status';
import { StatusBadge } from './StatusBadge';

const MOVING_REFRESH_MS = 1500;

type Outcome =
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'stopping' }
  | { readonly kind: 'rerun'; readonly queued: QueuedRun };

export function RunDetail({ clients, session, syncId }: { clients: Clients; session: Session; syncId: string }) {
  const run = useLive<SyncRun>((signal) => clients.sync.getSyncRun({ xTenantID: clients.tenant, syncId }, { signal }),
    [clients, syncId], (r) => (isActive(r.status) ? MOVING_REFRESH_MS : null));
  const [asking, setAsking] = useState<'cancel' | 'rerun' | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [actionError, setActionError] = useState<ShownError | null>(null);

  const act = async (action: 'cancel' | 'rerun') => {
    setAsking(null);
    setBusy(true);
    setOutcome(null);
    setActionError(null);
    try {
      if (action === 'cancel') {
        const answer = await clients.sync.cancelSyncRunRaw({ xTenantID: clients.tenant, syncId });
        setOutcome({ kind: answer.raw.status === 202 ? 'stopping' : 'cancelled' });
      } else {
        setOutcome({ kind: 'rerun', queued: await clients.sync.rerunSyncRun({ xTenantID: clients.tenant, syncId }) });
      }
    } catch (error) {
      setActionError(await shownError(error));
    } finally {
      setBusy(false);
      run.reload();
    }
  };

  return (
    <article aria-labelledby="run-heading">
      <p><a href={routeHref({ view: 'runs', filters: {} })}>← All runs</a></p>
      <h1 id="run-heading">Run <code>{syncId}</code></h1>
      {run.error && (
        <ProblemAlert error={run.error} action={<button type="button" onClick={run.reload}>Try again</button>} />
      )}
      {run.value && (
        <>
          <RunActions run={run.value} session={session} busy={busy} onAsk={setAsking} />
          {outcome && <OutcomeNote outcome={outcome} />}
          {actionError && <ProblemAlert error={actionError} />}
          <RunSummary run={run.value} />
          <RunCounts run={run.value} />
          <RunProblems run={run.value} />
          <RunAttempts run={run.value} />
          <RunFailures run={run.value} />
          <RunPreview run={run.value} />
          <PushErrors run={run.value} />
        </>
      )}
      {!run.value && !run.error && <p>Loading…</p>}
      {asking === 'cancel' && (
        <ConfirmDialog title="Cancel this run?" confirmLabel="Cancel the run" declineLabel="Keep it"
                       onConfirm={() => void act('cancel')} onDecline={() => setAsking(null)}>
          <p>A run still waiting is cancelled at once; a running one stops at its next page and keeps what it has
            written so far. Cancelled runs can be run again.</p>
        </ConfirmDialog>
      )}
      {asking === 'rerun' && (
        <ConfirmDialog title="Run this again?" confirmLabel="Run it again" declineLabel="Go back"
                       onConfirm={() => void act('rerun')} onDecline={() => setAsking(null)}>
          <p>Queues the same request as a new run; the records this run failed on are retried by id.</p>
        </ConfirmDialog>
      )}
    </article>
  );
}

function RunActions({ run, session, busy, onAsk }: {
  run: SyncRun; session: Session; busy: boolean; onAsk: (action: 'cancel' | 'rerun') => void;
}) {
  const cancellable = isCancellable(run.status, run.cancelRequested);
  const rerunnable = isRerunnable(run.status);
  if (!cancellable && !rerunnable) {
    return null;
  }
  const allowed = holds(session, Role.Admin);
  return (
    <div class="actions" role="group" aria-label="Run actions">
      {cancellable && (
        <button type="button" class="danger" disabled={!allowed || busy} onClick={() => onAsk('cancel')}
                aria-describedby={allowed ? undefined : 'run-actions-role'}>Cancel run</button>
      )}
      {rerunnable && (
        <button type="button" disabled={!allowed || busy} onClick={() => onAsk('rerun')}
                aria-describedby={allowed ? undefined : 'run-actions-role'}>Run again</button>
      )}
      {!allowed && (
        <p id="run-actions-role" class="hint">
          Cancelling and running again need the role <code>sync:admin</code>; this credential has{' '}
          {session.roles.length > 0 ? <code>{session.roles.join(', ')}</code> : 'no role'}.
        </p>
      )}
    </div>
  );
}

function OutcomeNote({ outcome }: { outcome: Outcome }) {
  return (
    <p class="outcome" role="status">
      {outcome.kind === 'cancelled' && 'Cancelled: the run had not started.'}
      {outcome.kind === 'stopping' && 'Stopping: the run ends cancelled at its next page.'}
      {outcome.kind === 'rerun' && (
        <>Queued again as <a href={routeHref({ view: 'run', syncId: outcome.queued.syncId })}>
          run <code>{outcome.queued.syncId.slice(0, 8)}</code></a>.</>
      )}
    </p>
  );
}

function RunSummary({ run }: { run: SyncRun }) {
  return (
    <dl class="summary">
      <dt>Status</dt>
      <dd data-field="status"><StatusBadge status={run.status} cancelRequested={run.cancelRequested} /></dd>
      <dt>App</dt>
      <dd>{run.appKey}</dd>
      <dt>Collection</dt>
      <dd>{run.collection ?? 'all'}</dd>
      <dt>Kind</dt>
      <dd>{run.kind ?? 'pull'}</dd>
      <dt>Mode</dt>
      <dd>{run.mode}{run.dryRun ? ' (dry run: nothing written)' : ''}</dd>
      <dt>Trigger</dt>
      <dd>{run.trigger}</dd>
      <dt>Attempt</dt>
      <dd>{run.attempt} of {run.maxAttempts}</dd>
      <dt>Node</dt>
      <dd>{run.nodeId ?? '—'}</dd>
      <dt>Queued</dt>
      <dd><Time value={run.queuedAt} /></dd>
      <dt>Started</dt>
      <dd><Time value={run.startedAt} /></dd>
      <dt>Completed</dt>
      <dd><Time value={run.completedAt} /></dd>
      <dt>Duration</dt>
      <dd>{formatDuration(run.durationMs)}</dd>
      {run.nextAttemptAt && (
        <>
          <dt>Next attempt</dt>
          <dd><Time value={run.nextAttemptAt} /></dd>
        </>
      )}
    </dl>
  );
}

function RunCounts({ run }: { run: SyncRun }) {
  const push = run.kind === 'push';
  const rows: [string, number | undefined][] = push
    ? [['Processed', run.itemsProcessed], ['Created', run.itemsCreated], ['Updated', run.itemsUpdated],
      ['Unchanged', run.itemsUnchanged], ['Failed', run.itemsFailed]]
    : [['Total', run.records.total], ['New', run.records._new], ['Updated', run.records.updated],
      ['Unchanged', run.records.unchanged], ['Deleted', run.records.deleted], ['Archived', run.records.archived],
      ['Failed', run.records.errors]];
  return (
    <Section id="counts" title={push ? 'Items' : 'Records'}>
      <dl class="counts" aria-live={isActive(run.status) ? 'polite' : 'off'}>
        {rows.map(([label, value]) => (
          <div key={label} data-count={label.toLowerCase()}>
            <dt>{label}</dt>
            <dd>{formatCount(value)}</dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}

function RunProblems({ run }: { run: SyncRun }) {
  if (!run.error && !(run.notes && run.notes.length > 0)) {
    return null;
  }
  return (
    <Section id="problems" title="Error and notes">
      {run.error && <p class="run-error">{run.error}</p>}
      {run.notes && run.notes.length > 0 && <ul class="notes">{run.notes.map((note) => <li key={note}>{note}</li>)}</ul>}
    </Section>
  );
}

function RunAttempts({ run }: { run: SyncRun }) {
  if (!run.attempts || run.attempts.length === 0) {
    return null;
  }
  return (
    <Section id="attempts" title="Attempts">
      <Table columns={['Attempt', 'Status', 'Node', 'Started', 'Ended', 'Error']}>
        {run.attempts.map((attempt) => (
          <tr key={attempt.attempt}>
            <td class="number">{attempt.attempt}</td>
            <td>{words(attempt.status)}</td>
            <td>{attempt.nodeId ?? '—'}</td>
            <td><Time value={attempt.startedAt} /></td>
            <td><Time value={attempt.completedAt} /></td>
            <td>{attempt.error ?? ''}</td>
          </tr>
        ))}
      </Table>
    </Section>
  );
}

function RunFailures({ run }: { run: SyncRun }) {
  const failures = run.failures;
  if (!failures || failures.total === 0) {
    return null;
  }
  return (
    <Section id="failures" title="Failed records">
      <p>
        {formatCount(failures.total)} {failures.total === 1 ? 'record' : 'records'} failed
        {Object.keys(failures.byCollection).length > 1 && (
          <> ({Object.entries(failures.byCollection).map(([c, n]) => `${c}: ${formatCount(n)}`).join(', ')})</>
        )}
        {failures.first.length < failures.total ? `; the first ${failures.first.length}:` : ':'}
      </p>
      <Table columns={['Collection', 'Record', 'Operation', 'Error', 'Retries']}>
        {failures.first.map((failure) => (
          <tr key={failure.id}>
            <td>{failure.collection}</td>
            <td><code>{failure.externalId}</code></td>
            <td>{failure.operation}</td>
            <td>{failure.error ?? ''}</td>
            <td class="number">{failure.retryCount}</td>
          </tr>
        ))}
      </Table>
    </Section>
  );
}

function RunPreview({ run }: { run: SyncRun }) {
  const preview = run.preview;
  if (!preview) {
    return null;
  }
  const counts = preview.counts;
  return (
    <Section id="preview" title="Dry run: what a real run would do">
      <p>
        {formatCount(counts.created)} new, {formatCount(counts.updated)} updated, {formatCount(counts.unchanged)} unchanged,
        {' '}{formatCount(counts.deleted)} deleted, {formatCount(counts.archived)} archived, {formatCount(counts.errors)} failed.
      </p>
      {Object.entries(preview.samples).map(([collection, byChange]) => (
        <div key={collection}>
          <h3>{collection}</h3>
          <ul>
            {Object.entries(byChange).map(([change, ids]) => (
              <li key={change}>{words(change)}: {ids.map((id) => <code key={id}>{id}</code>)}</li>
            ))}
          </ul>
        </div>
      ))}
    </Section>
  );
}

function PushErrors({ run }: { run: SyncRun }) {
  if (!run.errors || run.errors.length === 0) {
    return null;
  }
  return (
    <Section id="push-errors" title="Failed items">
      <Table columns={['Item', 'Error']}>
        {run.errors.map((error) => (
          <tr key={error.itemId}>
            <td><code>{error.itemId}</code></td>
            <td>{error.error}</td>
          </tr>
        ))}
      </Table>
    </Section>
  );
}
