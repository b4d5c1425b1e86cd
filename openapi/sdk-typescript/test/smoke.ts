// The TypeScript SDK's smoke flow, run under node by openapi's SdkContractTest against the packaged service:
// create an app, trigger a full sync, poll it to its end, read the records. Exits non-zero on any failure.
import { AppsApi, Configuration, RecordsApi, ResponseError, RunStatus, SyncApi } from '../src';

function setting(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

const finished: ReadonlySet<RunStatus> = new Set<RunStatus>([
  RunStatus.Completed, RunStatus.CompletedWithErrors, RunStatus.Failed, RunStatus.DeadLettered, RunStatus.Cancelled,
]);

async function main(): Promise<void> {
  const configuration = new Configuration({
    basePath: setting('TRIBUTARY_URL'),
    accessToken: setting('TRIBUTARY_API_KEY'),
  });
  const xTenantID = setting('TRIBUTARY_TENANT');
  const apps = new AppsApi(configuration);
  const sync = new SyncApi(configuration);
  const records = new RecordsApi(configuration);

  const app = await apps.createApp({
    xTenantID,
    appCreate: {
      appKey: 'ts-items',
      connector: 'http-json',
      name: 'Items, through TypeScript',
      config: {
        base_url: setting('SOURCE_URL'),
        auth: { type: 'bearer' },
        collections: [{ collection_key: 'items', path: 'items' }],
      },
      credentials: { token: 'source-token' },
    },
  });
  if (!app.credentialsSet) {
    throw new Error(`credentials not set: ${JSON.stringify(app)}`);
  }

  const queued = await sync.triggerSync({ xTenantID, syncTrigger: { appKey: app.appKey, mode: 'full' }, idempotencyKey: 'ts-items-1' });
  let run = await sync.getSyncRun({ xTenantID, syncId: queued.syncId });
  for (let polls = 0; !finished.has(run.status) && polls < 300; polls++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    run = await sync.getSyncRun({ xTenantID, syncId: queued.syncId });
  }
  if (run.status !== RunStatus.Completed) {
    throw new Error(`run ended ${run.status}: ${JSON.stringify(run)}`);
  }

  const page = await records.listRecords({ xTenantID, appKey: app.appKey, collection: 'items', limit: 100 });
  const ids = page.items.map((record) => record.externalId);
  if (JSON.stringify(ids) !== JSON.stringify(['item-1', 'item-2', 'item-3'])) {
    throw new Error(`unexpected records: ${JSON.stringify(ids)}`);
  }
  console.log(`smoke flow passed: run ${run.syncId} wrote ${ids.length} records`);
}

main().catch(async (error: unknown) => {
  if (error instanceof ResponseError) {
    console.error(`HTTP ${error.response.status}: ${await error.response.text()}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
