/**
 * The console's one way to the API: the generated SDK (`@tributary/sdk`), configured for the signed-in tab, and
 * the reading of whatever it throws as something a person can act on — the problem document's `detail` and
 * `request_id`, never a blank screen.
 */
import {
  AppsApi,
  CallerApi,
  Configuration,
  FetchError,
  ProblemFromJSON,
  RequiredError,
  ResponseError,
  SyncApi,
} from '@tributary/sdk';
import type { Credentials } from './session';

/** The SDK's clients for one credential; every tenant call still names its tenant (`xTenantID`). */
export interface Clients {
  readonly tenant: string;
  readonly apps: AppsApi;
  readonly caller: CallerApi;
  readonly sync: SyncApi;
}

export function clientsFor(credentials: Credentials): Clients {
  // The console is served by the API itself: same origin, so no CORS and no second address to configure.
  const configuration = new Configuration({
    basePath: window.location.origin,
    accessToken: credentials.token,
  });
  return {
    tenant: credentials.tenant,
    apps: new AppsApi(configuration),
    caller: new CallerApi(configuration),
    sync: new SyncApi(configuration),
  };
}

/** An error as the console shows it. `requestId` is what to quote to an operator, who finds it in the logs. */
export interface ShownError {
  readonly title: string;
  readonly detail: string;
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly fields?: readonly { readonly field: string; readonly message: string }[];
}

/** Whether an SDK call failed only because the console gave it up (the view it was for went away). */
export function isAbandoned(error: unknown): boolean {
  return error instanceof FetchError && error.cause?.name === 'AbortError';
}

/** Reads an SDK failure: a problem document when the service sent one, else what is known of the failure. */
export async function shownError(error: unknown): Promise<ShownError> {
  if (error instanceof ResponseError) {
    const response = error.response;
    if ((response.headers.get('Content-Type') ?? '').includes('json')) {
      try {
        const problem = ProblemFromJSON(await response.json());
        return {
          title: problem.title ?? response.statusText,
          detail: problem.detail ?? `The service answered ${response.status}`,
          status: problem.status ?? response.status,
          code: problem.code,
          requestId: problem.requestId ?? response.headers.get('X-Request-ID') ?? undefined,
          fields: problem.errors?.map((e) => ({ field: e.field, message: e.message })),
        };
      } catch {
        // A body that is not the JSON it claims: fall through to what the status line says.
      }
    }
    return {
      title: response.statusText || 'Error',
      detail: `The service answered ${response.status} without a problem document`,
      status: response.status,
      requestId: response.headers.get('X-Request-ID') ?? undefined,
    };
  }
  if (error instanceof FetchError) {
    return { title: 'No answer', detail: `The service could not be reached: ${error.cause?.message ?? error.message}` };
  }
  if (error instanceof RequiredError) {
    return { title: 'Missing value', detail: `${error.field} is required` };
  }
  return { title: 'Error', detail: error instanceof Error ? error.message : String(error) };
}
