/**
 * An API error as the console shows it: what went wrong in the service's words (the problem's `detail`), its
 * status and code, and the `request_id` to quote to whoever runs the service.
 */
import type { ComponentChildren } from 'preact';
import type { ShownError } from '../api';

export function ProblemAlert({ error, action }: { error: ShownError; action?: ComponentChildren }) {
  return (
    <div class="problem" role="alert">
      <p class="problem-title">
        {error.title}
        {error.status !== undefined && <span class="problem-status"> ({error.status}{error.code ? `, ${error.code}` : ''})</span>}
      </p>
      <p class="problem-detail">{error.detail}</p>
      {error.fields && error.fields.length > 0 && (
        <ul class="problem-fields">
          {error.fields.map((f) => <li key={f.field}><code>{f.field}</code>: {f.message}</li>)}
        </ul>
      )}
      {error.requestId && <p class="problem-request">Request ID: <code>{error.requestId}</code></p>}
      {action}
    </div>
  );
}
