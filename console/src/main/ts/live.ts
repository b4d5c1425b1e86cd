/**
 * Data that stays current: loaded through the SDK when a view opens or its parameters change, and loaded again
 * after a delay the data itself decides (soon while a run is moving, later or never once it is done).
 */
import { useEffect, useState } from 'preact/hooks';
import { isAbandoned, shownError, type ShownError } from './api';

export interface Live<T> {
  /** The last value loaded; kept while a newer one loads, or when loading it failed. */
  readonly value?: T;
  /** Why the last load failed; polling stops until {@link reload}. */
  readonly error?: ShownError;
  readonly loading: boolean;
  readonly loadedAt?: Date;
  /** Loads again now (and resumes polling after an error). */
  readonly reload: () => void;
}

interface State<T> {
  readonly value?: T;
  readonly error?: ShownError;
  readonly loading: boolean;
  readonly loadedAt?: Date;
}

/**
 * Calls `load` now, again whenever one of `inputs` changes, and again `refreshAfter(value)` milliseconds after each
 * success (null: not again). A load still under way when the view goes or the inputs change is aborted.
 */
export function useLive<T>(load: (signal: AbortSignal) => Promise<T>, inputs: readonly unknown[],
                           refreshAfter: (value: T) => number | null): Live<T> {
  const [state, setState] = useState<State<T>>({ loading: true });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    let timer: number | undefined;
    const run = async () => {
      setState((s) => ({ ...s, loading: true }));
      try {
        const value = await load(controller.signal);
        if (controller.signal.aborted) return;
        setState({ value, loading: false, loadedAt: new Date() });
        const next = refreshAfter(value);
        if (next !== null) {
          timer = window.setTimeout(run, next);
        }
      } catch (error) {
        if (controller.signal.aborted || isAbandoned(error)) return;
        const shown = await shownError(error);
        if (!controller.signal.aborted) {
          setState((s) => ({ ...s, error: shown, loading: false }));
        }
      }
    };
    void run();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [...inputs, generation]);
  return { ...state, reload: () => setGeneration((g) => g + 1) };
}
