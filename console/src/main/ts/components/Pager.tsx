/**
 * The pager under a list of runs: the runs shown of how many, newer and older pages by offset, or just the
 * count when everything fits on one page.
 */
import { formatCount } from '../format';

/** A page of a list as the API answers it (`items, limit, offset, total`). */
export interface ListPage {
  readonly items: readonly unknown[];
  readonly limit: number;
  readonly offset: number;
  readonly total: number;
}

export function Pager({ page, label, toOffset }: {
  page: ListPage;
  /** The navigation's accessible name, e.g. "Pages of runs". */
  label: string;
  /** Shows the page starting at this offset. */
  toOffset: (offset: number) => void;
}) {
  if (page.total <= page.limit && page.offset === 0) {
    return <p class="pager-summary">{formatCount(page.total)} {page.total === 1 ? 'run' : 'runs'}</p>;
  }
  const first = page.total === 0 ? 0 : page.offset + 1;
  const last = Math.min(page.offset + page.items.length, page.total);
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" disabled={page.offset === 0}
              onClick={() => toOffset(Math.max(0, page.offset - page.limit))}>Newer runs</button>
      <span>Runs {formatCount(first)}–{formatCount(last)} of {formatCount(page.total)}</span>
      <button type="button" disabled={page.offset + page.limit >= page.total}
              onClick={() => toOffset(page.offset + page.limit)}>Older runs</button>
    </nav>
  );
}
