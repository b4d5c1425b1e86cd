// StripeBenchmark's comparison: @supabase/stripe-sync-engine backfills the customers of the
// fake Stripe at STRIPE_BASE into DATABASE_URL (its own `stripe` schema), first a warm-up
// account at WARMUP_BASE into WARMUP_DATABASE_URL. Prints {"synced": n, "ms": t} for the
// measured backfill. The engine builds its own Stripe client for api.stripe.com; the harness
// replaces it with one pointed at the fake (the same SDK, another host).
import { createRequire } from 'node:module';
import Stripe from 'stripe';

// The package's ES module build finds its migrations through __dirname, which ES modules lack;
// its CommonJS build works.
const { StripeSync, runMigrations } = createRequire(import.meta.url)('@supabase/stripe-sync-engine');

const key = process.env.STRIPE_KEY;
// runMigrations reports failures only through a logger; errors go to stderr, the rest is dropped.
const quiet = { info() {}, warn() {}, error: (...args) => console.error(...args) };

async function backfill(databaseUrl, stripeBase) {
  await runMigrations({ databaseUrl, schema: 'stripe', logger: quiet });
  const sync = new StripeSync({
    poolConfig: { connectionString: databaseUrl, max: 10 },
    stripeSecretKey: key,
    stripeWebhookSecret: 'whsec_unused',
    schema: 'stripe',
  });
  const base = new URL(stripeBase);
  sync.stripe = new Stripe(key, { host: base.hostname, port: base.port, protocol: 'http', maxNetworkRetries: 2 });
  const started = process.hrtime.bigint();
  const result = await sync.syncBackfill({ object: 'customer' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await sync.postgresClient.pool.end();
  return { synced: result.customers?.synced ?? 0, ms: Math.round(ms) };
}

await backfill(process.env.WARMUP_DATABASE_URL, process.env.WARMUP_BASE);
console.log(JSON.stringify(await backfill(process.env.DATABASE_URL, process.env.STRIPE_BASE)));
