/**
 * The Runs view: the tenant's sync runs newest first, filtered by status, app and collection, a page at a time.
 * It polls every two seconds while a listed run is still moving, so counts and statuses change in place, and
 * every fifteen otherwise, so a run triggered elsewhere shows up.
 */
import type { SyncRun, SyncRunPage } from '@tributary/sdk';
import { useState } from 'preact/hooks';
import type { Clients } from '../api';
import { Pager } from '../components/Pager';
import { ProblemAlert } from '../components/ProblemAlert';
import { Table } from '../components/Table';
import { Time } from '../components/Time';
import { formatCount, formatDuration, words } from '../format';
import { useLive } from '../live';
import { navigate, routeHref, type RunFilters } from '../route';
import { isActive, STATUSES } from './status';
import { StatusBadge } from './StatusBadge';

export const PAGE_SIZE = 25;
const MOVING_REFRESH_MS = 2000;
const IDLE_REFRESH_MS = 15000;

export function RunsView({ clients, filters }: { clients: Clients; filters: RunFilters }) {
  const offset = filters.offset ?? 0;
  const status = STATUSES.find((s) => s === filters.status);
  const runs = useLive<SyncRunPage>(
    (signal) => clients.sync.listSyncRuns({
      xTenantID: clients.tenant, status, appKey: filters.appKey, collection: filters.collection,
      limit: PAGE_SIZE, offset,
    }, { signal }),
    [clients, status, filters.appKey, filters.collection, offset],
    (page) => (page.items.some((run) => isActive(run.status)) ? MOVING_REFRESH_MS : IDLE_REFRESH_MS));
  const apps = useLive((signal) => clients.apps.listApps({ xTenantID: clients.tenant, limit: 100 }, { signal }),
    [clients], () => null);

  return (
    <section aria-labelledby="runs-heading">
      <h1 id="runs-heading">Runs</h1>
      <RunFilterForm key={`${filters.status}|${filters.appKey}|${filters.collection}`} filters={filters} appKeys={apps.value?.items.map((app) => app.appKey) ?? []} />
      {runs.error && (
        <ProblemAlert error={runs.error}
                      action={<button type="button" onClick={runs.reload}>Try again</button>} />
      )}
      {runs.value && <RunTable page={runs.value} filtered={Boolean(status || filters.appKey || filters.collection)} />}
      {runs.value && <Pager page={runs.value} label="Pages of runs"
                                 toOffset={(offset) => navigate({ view: 'runs', filters: { ...filters, offset } })} />}
      <p class="freshness">
        {runs.loading ? 'Loading…' : runs.loadedAt && <>Updated <Time value={runs.loadedAt} /></>}{' '}
        <button type="button" onClick={runs.reload} disabled={runs.loading}>Refresh</button>
      </p>
    </section>
  );
}

function RunFilterForm({ filters, appKeys }: { filters: RunFilters; appKeys: readonly string[] }) {
  const [status, setStatus] = useState(filters.status ?? '');
  const [appKey, setAppKey] = useState(filters.appKey ?? '');
  const [collection, setCollection] = useState(filters.collection ?? '');
  const apply = (event: Event) => {
    event.preventDefault();
    navigate({ view: 'runs', filters: { status: status || undefined, appKey: appKey.trim() || undefined,
      collection: collection.trim() || undefined } });
  };
  const clear = () => {
    setStatus('');
    setAppKey('');
    setCollection('');
    navigate({ view: 'runs', filters: {} });
  };
  return (
    <form class="filters" role="search" aria-label="Filter runs" onSubmit={apply}>
      <label>
        Status
        <select name="status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">Any status</option>
          {STATUSES.map((s) => <option key={s} value={s}>{words(s)}</option>)}
        </select>
      </label>
      <label>
        App
        <input name="app_key" list="run-filter-apps" value={appKey} autocomplete="off"
               onInput={(e) => setAppKey(e.currentTarget.value)} />
        <datalist id="run-filter-apps">
          {appKeys.map((key) => <option key={key} value={key} />)}
        </datalist>
      </label>
      <label>
        Collection
        <input name="collection" value={collection} autocomplete="off"
               onInput={(e) => setCollection(e.currentTarget.value)} />
      </label>
      <button type="submit">Apply filters</button>
      <button type="button" onClick={clear}>Clear filters</button>
    </form>
  );
}

function RunTable({ page, filtered }: { page: SyncRunPage; filtered: boolean }) {
  if (page.items.length === 0) {
    return <p class="empty">{filtered ? 'No runs match these filters.' : 'No runs yet: trigger a sync of an app.'}</p>;
  }
  return (
    <Table className="runs" caption="Sync runs, newest first"
           columns={['Run', 'Status', 'App', 'Collection', 'Mode', 'Trigger', 'Records', 'Queued', 'Duration']}>
      {page.items.map((run) => <RunRow key={run.syncId} run={run} />)}
    </Table>
  );
}

function RunRow({ run }: { run: SyncRun }) {
  const counts = run.records;
  return (
    <tr data-sync-id={run.syncId} data-status={run.status}>
      <td>
        <a href={routeHref({ view: 'run', syncId: run.syncId })} aria-label={`Run ${run.syncId}`}>
          <code>{run.syncId.slice(0, 8)}</code>
        </a>
      </td>
      <td><StatusBadge status={run.status} cancelRequested={run.cancelRequested} /></td>
      <td>{run.appKey}</td>
      <td>{run.collection ?? 'all'}</td>
      <td>{run.mode}{run.dryRun ? ' (dry run)' : ''}</td>
      <td>{run.trigger}</td>
      <td class="number">
        {formatCount(counts.total)}
        <span class="breakdown"> ({formatCount(counts._new)} new, {formatCount(counts.updated)} updated
          {counts.errors > 0 ? `, ${formatCount(counts.errors)} failed` : ''})</span>
      </td>
      <td><Time value={run.queuedAt} /></td>
      <td class="number">{formatDuration(run.durationMs)}</td>
    </tr>
  );
}
