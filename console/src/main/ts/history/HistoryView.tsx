/**
 * The History view: the tenant's pull and push runs newest first, as `GET /api/sync/history` reads them — each
 * with its sync type and history status — filtered by those two, a page at a time, each row leading to the run's
 * detail in Runs. It polls like Runs: every two seconds while a listed run still moves, every fifteen otherwise.
 */
import { HistoryStatus, SyncType, type SyncHistoryEntry, type SyncHistoryPage } from '@tributary/sdk';
import { useState } from 'preact/hooks';
import type { Clients } from '../api';
import { Pager } from '../components/Pager';
import { ProblemAlert } from '../components/ProblemAlert';
import { Table } from '../components/Table';
import { Time } from '../components/Time';
import { formatCount, formatDuration, words } from '../format';
import { useLive } from '../live';
import { navigate, routeHref, type HistoryFilters } from '../route';
import { StatusBadge } from '../runs/StatusBadge';

export const PAGE_SIZE = 25;
const MOVING_REFRESH_MS = 2000;
const IDLE_REFRESH_MS = 15000;

export const SYNC_TYPES: readonly SyncType[] = [SyncType.Manual, SyncType.Full, SyncType.Delta, SyncType.Scheduled];

export const HISTORY_STATUSES: readonly HistoryStatus[] = [
  HistoryStatus.Queued, HistoryStatus.Running, HistoryStatus.RetryScheduled, HistoryStatus.Completed,
  HistoryStatus.PartialSuccess, HistoryStatus.Failed, HistoryStatus.Cancelled,
];

/** A history status whose run can still change: queued, running, or waiting to retry. */
function isMoving(status: HistoryStatus | undefined): boolean {
  return status === HistoryStatus.Queued || status === HistoryStatus.Running || status === HistoryStatus.RetryScheduled;
}

export function HistoryView({ clients, filters }: { clients: Clients; filters: HistoryFilters }) {
  const offset = filters.offset ?? 0;
  // A value from the URL that is not one of the API's is dropped here rather than sent to be refused.
  const syncType = SYNC_TYPES.find((t) => t === filters.syncType);
  const status = HISTORY_STATUSES.find((s) => s === filters.status);
  const history = useLive<SyncHistoryPage>(
    (signal) => clients.sync.listSyncHistory({ xTenantID: clients.tenant, syncType, status, limit: PAGE_SIZE, offset },
      { signal }),
    [clients, syncType, status, offset],
    (page) => (page.items.some((entry) => isMoving(entry.status)) ? MOVING_REFRESH_MS : IDLE_REFRESH_MS));

  return (
    <section aria-labelledby="history-heading">
      <h1 id="history-heading">History</h1>
      <HistoryFilterForm key={`${filters.syncType}|${filters.status}`} filters={filters} />
      {history.error && (
        <ProblemAlert error={history.error}
                      action={<button type="button" onClick={history.reload}>Try again</button>} />
      )}
      {history.value && <HistoryTable page={history.value} filtered={Boolean(syncType || status)} />}
      {history.value && <Pager page={history.value} label="Pages of history"
                                 toOffset={(offset) => navigate({ view: 'history', filters: { ...filters, offset } })} />}
      <p class="freshness">
        {history.loading ? 'Loading…' : history.loadedAt && <>Updated <Time value={history.loadedAt} /></>}{' '}
        <button type="button" onClick={history.reload} disabled={history.loading}>Refresh</button>
      </p>
    </section>
  );
}

function HistoryFilterForm({ filters }: { filters: HistoryFilters }) {
  const [syncType, setSyncType] = useState(filters.syncType ?? '');
  const [status, setStatus] = useState(filters.status ?? '');
  const apply = (event: Event) => {
    event.preventDefault();
    navigate({ view: 'history', filters: { syncType: syncType || undefined, status: status || undefined } });
  };
  const clear = () => {
    setSyncType('');
    setStatus('');
    navigate({ view: 'history', filters: {} });
  };
  return (
    <form class="filters" role="search" aria-label="Filter history" onSubmit={apply}>
      <label>
        Sync type
        <select name="sync_type" value={syncType} onChange={(e) => setSyncType(e.currentTarget.value)}>
          <option value="">Any sync type</option>
          {SYNC_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </label>
      <label>
        Status
        <select name="status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">Any status</option>
          {HISTORY_STATUSES.map((s) => <option key={s} value={s}>{words(s)}</option>)}
        </select>
      </label>
      <button type="submit">Apply filters</button>
      <button type="button" onClick={clear}>Clear filters</button>
    </form>
  );
}

function HistoryTable({ page, filtered }: { page: SyncHistoryPage; filtered: boolean }) {
  if (page.items.length === 0) {
    return <p class="empty">{filtered ? 'No runs match these filters.' : 'No history yet: trigger a sync of an app.'}</p>;
  }
  return (
    <Table className="history" caption="Pull and push runs, newest first"
           columns={['Run', 'Kind', 'Sync type', 'Status', 'App', 'Processed', 'Created', 'Updated', 'Unchanged',
             'Failed', 'Queued', 'Completed', 'Duration']}>
      {page.items.map((entry) => <HistoryRow key={entry.syncId} entry={entry} />)}
    </Table>
  );
}

function HistoryRow({ entry }: { entry: SyncHistoryEntry }) {
  return (
    <tr data-sync-id={entry.syncId} data-sync-type={entry.syncType} data-status={entry.status}>
      <td>
        <a href={routeHref({ view: 'run', syncId: entry.syncId })} aria-label={`Run ${entry.syncId}`}>
          <code>{entry.syncId.slice(0, 8)}</code>
        </a>
      </td>
      <td>{entry.kind}</td>
      <td>{entry.syncType ?? '—'}</td>
      <td>{entry.status ? <StatusBadge status={entry.status} /> : '—'}</td>
      <td>{entry.appKey ?? '—'}</td>
      <td class="number">{formatCount(entry.itemsProcessed)}</td>
      <td class="number">{formatCount(entry.itemsCreated)}</td>
      <td class="number">{formatCount(entry.itemsUpdated)}</td>
      <td class="number">{formatCount(entry.itemsUnchanged)}</td>
      <td class="number">{formatCount(entry.itemsFailed)}</td>
      <td><Time value={entry.queuedAt} /></td>
      <td><Time value={entry.completedAt} /></td>
      <td class="number">{formatDuration(entry.durationMs)}</td>
    </tr>
  );
}
