/**
 * What the tests set up before a browser opens, over HTTP through the same TypeScript SDK the console uses: the
 * operator creates a tenant and its keys, the tenant creates json-feed apps and triggers syncs.
 */
import {
  AdminApi,
  type ApiKeyCreateRolesEnum,
  AppsApi,
  Configuration,
  SyncApi,
  SyncTriggerModeEnum,
  type RunStatus,
  type SyncHistoryEntry,
  type SyncRun,
} from '@tributary/sdk';
import { writeFileSync } from 'node:fs';
import { eventually } from './eventually';

/** The operator's side: tenants and their API keys (`/admin`, with the admin key). */
export class Operator {
  private readonly admin: AdminApi;

  constructor(private readonly url: string, adminKey: string) {
    this.admin = new AdminApi(new Configuration({ basePath: url, accessToken: adminKey }));
  }

  async createTenant(id: string, name: string): Promise<void> {
    await this.admin.createTenant({ tenantCreate: { id, name } });
  }

  /** A new key of `tenant` with one role; the secret, shown once. */
  async issueKey(tenant: string, name: string, role: ApiKeyCreateRolesEnum): Promise<string> {
    return (await this.admin.createApiKey({ id: tenant, apiKeyCreate: { name, roles: [role] } })).key;
  }

  tenant(tenant: string, key: string): Tenant {
    return new Tenant(this.url, tenant, key);
  }
}

const FINISHED: ReadonlySet<RunStatus> = new Set<RunStatus>(['completed', 'completed_with_errors', 'failed',
  'dead_lettered', 'cancelled']);

/** A tenant's side (`/api`, with one of its keys). */
export class Tenant {
  private readonly apps: AppsApi;
  private readonly sync: SyncApi;

  constructor(url: string, readonly id: string, readonly key: string) {
    const configuration = new Configuration({ basePath: url, accessToken: key });
    this.apps = new AppsApi(configuration);
    this.sync = new SyncApi(configuration);
  }

  /** A json-feed app over a JSON document (`file`, under an allowed directory) or a JSON Lines download (`url`). */
  async createFeedApp(appKey: string, source: { file: string } | { url: string }): Promise<void> {
    await this.apps.createApp({
      xTenantID: this.id,
      appCreate: {
        appKey,
        connector: 'json-feed',
        name: `Permits (${appKey})`,
        config: {
          ...source,
          format: 'file' in source ? 'json' : 'jsonl',
          records_path: '',
          id_fields: ['permit_number'],
          updated_at_field: 'issued_date',
          collection_key: 'permits',
          // One record a page: a held download yields its first page, then waits, with the run running.
          batch_size: 'file' in source ? 1000 : 1,
        },
        // One attempt: a run the tests cancel or hold is not retried behind their back.
        retryPolicy: { maxAttempts: 1 },
      },
    });
  }

  /** Queues a full sync of the app; its run's id. */
  triggerFull(appKey: string): Promise<string> {
    return this.trigger(appKey, SyncTriggerModeEnum.Full);
  }

  /** Queues an incremental sync of the app (from its cursor); its run's id. */
  triggerIncremental(appKey: string): Promise<string> {
    return this.trigger(appKey, SyncTriggerModeEnum.Incremental);
  }

  private async trigger(appKey: string, mode: SyncTriggerModeEnum): Promise<string> {
    return (await this.sync.triggerSync({ xTenantID: this.id, syncTrigger: { appKey, mode } })).syncId;
  }

  /** The run as the sync history has it (`listSyncHistory`, newest first, among the latest hundred). */
  async historyEntry(syncId: string): Promise<SyncHistoryEntry> {
    const page = await this.sync.listSyncHistory({ xTenantID: this.id, limit: 100 });
    const entry = page.items.find((e) => e.syncId === syncId);
    if (!entry) throw new Error(`run ${syncId} is not in the latest ${page.items.length} of the history`);
    return entry;
  }

  run(syncId: string): Promise<SyncRun> {
    return this.sync.getSyncRun({ xTenantID: this.id, syncId });
  }

  awaitStatus(syncId: string, status: RunStatus, timeoutMs = 60_000): Promise<SyncRun> {
    return eventually(`run ${syncId} is ${status}`, timeoutMs, async () => {
      const run = await this.run(syncId);
      if (run.status !== status && FINISHED.has(run.status)) {
        throw new Error(`run ${syncId} ended ${run.status}, not ${status}: ${run.error ?? ''}`);
      }
      return run.status === status ? run : null;
    }, { pollMs: 250 });
  }
}

/** Writes a JSON array of `count` permit-like records to `path`, ids `permit-1`…; returns the path. */
export function writePermitFeed(path: string, count: number): string {
  const permits = Array.from({ length: count }, (_, i) => ({
    permit_number: `permit-${i + 1}`,
    issued_date: new Date(Date.UTC(2026, 4, 1, 8, i)).toISOString(),
    status: i % 7 === 0 ? 'Pending' : 'Issued',
    address: `${100 + i} Main Street`,
    valuation: 10_000 + 250 * i,
  }));
  writeFileSync(path, JSON.stringify(permits));
  return path;
}
