/**
 * Where the console is, kept in the URL's fragment (`#/runs?status=running`, `#/runs/<sync_id>`,
 * `#/history?sync_type=full`): the service
 * serves one page at `/console/`, the back button and bookmarks work, and a filter survives a reload.
 */
import { useEffect, useState } from 'preact/hooks';

/** The Runs list's filters and page, as `listSyncRuns` takes them. */
export interface RunFilters {
  readonly status?: string;
  readonly appKey?: string;
  readonly collection?: string;
  readonly offset?: number;
}

/** The History view's filters and page, as `listSyncHistory` takes them. */
export interface HistoryFilters {
  readonly syncType?: string;
  readonly status?: string;
  readonly offset?: number;
}

export type Route =
  | { readonly view: 'runs'; readonly filters: RunFilters }
  | { readonly view: 'run'; readonly syncId: string }
  | { readonly view: 'history'; readonly filters: HistoryFilters };

/** The route a fragment names; anything unknown is the Runs list, the console's first view. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const segments = path.split('/').filter((s) => s !== '').map(decodeURIComponent);
  if (segments[0] === 'runs' && segments.length === 2 && segments[1] !== undefined) {
    return { view: 'run', syncId: segments[1] };
  }
  const params = new URLSearchParams(query);
  const offset = parseOffset(params.get('offset'));
  if (segments[0] === 'history' && segments.length === 1) {
    return {
      view: 'history',
      filters: { syncType: params.get('sync_type') || undefined, status: params.get('status') || undefined, offset },
    };
  }
  return {
    view: 'runs',
    filters: {
      status: params.get('status') || undefined,
      appKey: params.get('app_key') || undefined,
      collection: params.get('collection') || undefined,
      offset,
    },
  };
}

function parseOffset(value: string | null): number | undefined {
  const offset = Number.parseInt(value ?? '', 10);
  return Number.isFinite(offset) && offset > 0 ? offset : undefined;
}

/** The fragment of a route, for links (`href`) and for {@link navigate}. */
export function routeHref(route: Route): string {
  if (route.view === 'run') {
    return `#/runs/${encodeURIComponent(route.syncId)}`;
  }
  const params = new URLSearchParams();
  if (route.view === 'history') {
    const { syncType, status, offset } = route.filters;
    if (syncType) params.set('sync_type', syncType);
    if (status) params.set('status', status);
    if (offset) params.set('offset', String(offset));
    const query = params.toString();
    return query ? `#/history?${query}` : '#/history';
  }
  const { status, appKey, collection, offset } = route.filters;
  if (status) params.set('status', status);
  if (appKey) params.set('app_key', appKey);
  if (collection) params.set('collection', collection);
  if (offset) params.set('offset', String(offset));
  const query = params.toString();
  return query ? `#/runs?${query}` : '#/runs';
}

export function navigate(route: Route): void {
  window.location.hash = routeHref(route);
}

/** The current route, following the fragment as links and the back button change it. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return route;
}
