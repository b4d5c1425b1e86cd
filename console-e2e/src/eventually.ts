/** Awaits a condition with a deadline, polling it (the tests' Awaitility): never a fixed sleep. */
import { setTimeout as delay } from 'node:timers/promises';

export interface EventuallyOptions {
  /** Between polls; 200 ms unless said. */
  readonly pollMs?: number;
  /** Gives up at once when this says the condition can no longer come true. */
  readonly failFast?: () => boolean;
}

/**
 * Resolves with the first truthy value `condition` returns; rejects, naming `what`, once `timeoutMs` have
 * passed (with the last error the condition threw, if any) or as soon as `failFast` says so.
 */
export async function eventually<T>(what: string, timeoutMs: number, condition: () => Promise<T | false | null | undefined>,
                                    options: EventuallyOptions = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (options.failFast?.() || Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}` + (lastError ? `: ${String(lastError)}` : ''));
    }
    await delay(options.pollMs ?? 200);
  }
}
