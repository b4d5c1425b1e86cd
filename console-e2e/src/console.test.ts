/**
 * The console in a real browser (Debian's Chromium through playwright-core) against the packaged service on its
 * embedded PostgreSQL: sign-in and sign-out, the 401 problem of a wrong key, a sync seen through to its counts,
 * a queued run and a running one cancelled and run again, a read-only key that cannot press write buttons, and
 * the History of pulls filtered by sync type and status.
 * Each test leaves a screenshot in target/screenshots.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumExecutable, launchChromium } from './chromium';
import {
  assertEveryControlLabelled,
  awaitDetailStatus,
  awaitRowStatus,
  confirmAction,
  openRun,
  runRow,
  screenshot,
  shownCount,
  signIn,
} from './consolePage';
import { HeldFeed } from './heldFeed';
import { Operator, Tenant, writePermitFeed } from './seed';
import { PackagedService } from './service';

const JAR = resolve(process.env.TRIBUTARY_JAR ?? '../api/target/tributary.jar');
const WORK = resolve(process.env.E2E_DIRECTORY ?? 'target/e2e-run');
const SCREENSHOTS = resolve(process.env.SCREENSHOT_DIRECTORY ?? 'target/screenshots');
const ADMIN_KEY = 'admin-key-for-the-console-browser-tests';
const PERMITS = 40;
const HELD_RECORDS = 5;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('the console in Chromium', () => {
  let service: PackagedService;
  let held: HeldFeed;
  let browser: Browser;
  let admin: Tenant;
  let reader: Tenant;
  let feeds: string;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    chromiumExecutable(); // before anything starts: no browser is a failure that says what to install
    feeds = join(WORK, 'feeds');
    rmSync(feeds, { recursive: true, force: true });
    mkdirSync(feeds, { recursive: true });
    held = await HeldFeed.start(HELD_RECORDS);
    service = await PackagedService.start({
      jar: JAR,
      directory: join(WORK, 'service'),
      settings: {
        TRIBUTARY_ADMIN_API_KEY: ADMIN_KEY,
        TRIBUTARY_CONNECTORS_JSON_FEED_ALLOWED_DIRECTORIES: feeds,
        TRIBUTARY_CONNECTORS_JSON_FEED_ALLOW_PRIVATE_ADDRESSES: 'true',
        TRIBUTARY_RATE_LIMIT_SYNC_TRIGGERS_PER_MINUTE: '1000',
        TRIBUTARY_SCHEDULER_LOCK_RETRY_DELAY: '200ms',
        TRIBUTARY_SCHEDULER_SHUTDOWN_TIMEOUT: '5s',
      },
    });
    const operator = new Operator(service.url, ADMIN_KEY);
    await operator.createTenant('acme', 'Acme');
    admin = operator.tenant('acme', await operator.issueKey('acme', 'console admin', 'sync:admin'));
    reader = operator.tenant('acme', await operator.issueKey('acme', 'console reader', 'sync:read'));
    await admin.createFeedApp('permits', { file: writePermitFeed(join(feeds, 'permits.json'), PERMITS) });
    await admin.createFeedApp('held', { url: held.url });
    browser = await launchChromium();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });

  afterEach(async (t) => {
    await screenshot(page, SCREENSHOTS, t.name);
    await context.close();
  });

  after(async () => {
    await browser?.close();
    await held?.close();
    await service?.stop();
  });

  it('signs in from the keyboard, keeps the credential in sessionStorage only, and signs out', async () => {
    await page.goto(`${service.url}/console/`);
    await page.keyboard.press('Tab');
    await page.keyboard.type(admin.key);
    await page.keyboard.press('Tab');
    await page.keyboard.type('acme');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    assert.equal(await page.locator('[data-field="tenant"]').innerText(), 'acme');
    assert.equal(await page.locator('[data-field="roles"]').innerText(), 'sync:read, sync:write, sync:admin');
    await assertEveryControlLabelled(page);

    const stored = await page.evaluate(() => JSON.stringify({ ...window.sessionStorage }));
    assert.ok(stored.includes(admin.key), 'the key is in sessionStorage');
    assert.equal(await page.evaluate(() => window.localStorage.length), 0, 'nothing in localStorage');
    assert.deepEqual(await context.cookies(), [], 'no cookie');

    await page.reload();
    await page.getByRole('heading', { name: 'Runs' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Tributary' }).waitFor();
    assert.equal(await page.evaluate(() => window.sessionStorage.length), 0, 'signing out forgets the key');
  });

  it('shows a wrong key\'s 401 problem, its detail and request id', async () => {
    await signIn(page, service.url, 'tk_a-key-nobody-was-ever-given', 'acme');
    const problem = page.getByRole('alert');
    await problem.waitFor();
    const text = await problem.innerText();
    assert.match(text, /\(401, unauthorized\)/);
    assert.match(text, /A valid bearer API key or JWT is required/);
    assert.match(text, new RegExp(`Request ID: ${UUID.source}`));
    assert.equal(await page.getByRole('button', { name: 'Sign in' }).isVisible(), true, 'still at sign-in');
    assert.equal(await page.evaluate(() => window.sessionStorage.length), 0, 'a refused key is not kept');
  });

  it('shows a triggered sync in Runs, filters by app, and opens its counts', async () => {
    await signIn(page, service.url, admin.key, 'acme');
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    const syncId = await admin.triggerFull('permits');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await awaitRowStatus(page, syncId, 'completed');
    assert.match(await runRow(page, syncId).innerText(),
      new RegExp(`completed\\s+permits\\s+all\\s+full\\s+manual\\s+${PERMITS} \\(${PERMITS} new, 0 updated\\)`));

    await page.getByLabel('App').fill('permits');
    await page.getByLabel('Status').selectOption('completed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/#\/runs\?status=completed&app_key=permits$/);
    await runRow(page, syncId).waitFor();
    const apps = await page.locator('tbody tr td:nth-child(3)').allInnerTexts();
    assert.ok(apps.length > 0 && apps.every((app) => app === 'permits'), apps.join(', '));

    await openRun(page, syncId);
    await awaitDetailStatus(page, 'completed');
    assert.equal(await shownCount(page, 'new'), String(PERMITS));
    assert.equal(await shownCount(page, 'failed'), '0');
    await page.getByRole('heading', { name: 'Attempts' }).waitFor();
    await assertEveryControlLabelled(page);

    await page.goto(`${service.url}/console/#/runs/00000000-0000-4000-8000-000000000000`);
    const problem = page.getByRole('alert');
    await problem.waitFor();
    assert.match(await problem.innerText(), /No sync run 00000000-0000-4000-8000-000000000000/);
    assert.match(await problem.innerText(), new RegExp(`Request ID: ${UUID.source}`));
  });

  it('cancels a queued run at once and a running one at its next page, then runs it again', async () => {
    const running = await admin.triggerFull('held');
    await admin.awaitStatus(running, 'running');
    const waiting = await admin.triggerFull('held');
    await admin.awaitStatus(waiting, 'queued');

    await signIn(page, service.url, admin.key, 'acme');
    await awaitRowStatus(page, running, 'running');
    await awaitRowStatus(page, waiting, 'queued');

    // From the keyboard: the dialog takes the focus, and Escape answers no.
    await openRun(page, waiting);
    await page.getByRole('button', { name: 'Cancel run' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Cancel this run?' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Keep it');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal((await admin.run(waiting)).status, 'queued', 'declined: nothing was cancelled');

    await confirmAction(page, 'Cancel run', 'Cancel the run');
    await page.getByRole('status').filter({ hasText: 'Cancelled: the run had not started.' }).waitFor();
    await awaitDetailStatus(page, 'cancelled');
    assert.equal((await admin.run(waiting)).status, 'cancelled');

    await page.getByRole('link', { name: '← All runs' }).click();
    await openRun(page, running);
    await confirmAction(page, 'Cancel run', 'Cancel the run');
    await page.getByRole('status').filter({ hasText: 'Stopping: the run ends cancelled at its next page.' }).waitFor();
    await page.locator('[data-field="status"]').getByText('running (stopping)').waitFor();
    held.release();
    await awaitDetailStatus(page, 'cancelled');

    await confirmAction(page, 'Run again', 'Run it again');
    const queued = page.getByRole('status').filter({ hasText: 'Queued again as run' });
    await queued.waitFor();
    await queued.getByRole('link').click();
    await page.waitForURL(new RegExp(`#/runs/${UUID.source}$`));
    const again = decodeURIComponent(new URL(page.url()).hash.replace('#/runs/', ''));
    assert.notEqual(again, running);
    await awaitDetailStatus(page, 'completed');
    // It goes on from where the cancelled run stopped: the counts are the new run's, as the API has them.
    const counts = (await admin.run(again)).records;
    assert.ok(counts.total > 0 && counts.total <= HELD_RECORDS, JSON.stringify(counts));
    assert.equal(await shownCount(page, 'total'), String(counts.total));
    assert.equal(await shownCount(page, 'new'), String(counts._new));
  });

  it('shows a read-only key the write buttons disabled, and why', async () => {
    const vanishing = writePermitFeed(join(feeds, 'vanishing.json'), 3);
    await admin.createFeedApp('vanishing', { file: vanishing });
    rmSync(vanishing);
    const failed = await admin.triggerFull('vanishing');
    await admin.awaitStatus(failed, 'failed');

    await signIn(page, service.url, reader.key, 'acme');
    await awaitRowStatus(page, failed, 'failed');
    await openRun(page, failed);
    const rerun = page.getByRole('button', { name: 'Run again' });
    await rerun.waitFor();
    assert.equal(await rerun.isDisabled(), true, 'a sync:read key cannot run it again');
    const why = await page.locator(`#${await rerun.getAttribute('aria-describedby')}`).innerText();
    assert.match(why, /need the role sync:admin; this credential has sync:read/);
    assert.match(await page.locator('.run-error').innerText(), /vanishing\.json/);
    await assertEveryControlLabelled(page);
  });

  it('shows pulls in History, filters them by sync type and status in the URL, and opens a run', async () => {
    const full = await admin.triggerFull('permits');
    await admin.awaitStatus(full, 'completed');
    const incremental = await admin.triggerIncremental('permits');
    await admin.awaitStatus(incremental, 'completed');
    const gone = writePermitFeed(join(feeds, 'gone.json'), 2);
    await admin.createFeedApp('gone', { file: gone });
    rmSync(gone);
    const failed = await admin.triggerFull('gone');
    await admin.awaitStatus(failed, 'failed');

    await signIn(page, service.url, admin.key, 'acme');
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    await page.getByRole('link', { name: 'History' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'History' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'History' }).getAttribute('aria-current'), 'page');
    await awaitRowStatus(page, full, 'completed');
    await awaitRowStatus(page, incremental, 'completed');
    await awaitRowStatus(page, failed, 'failed');
    const entry = await admin.historyEntry(full);
    assert.match(await runRow(page, full).innerText(), new RegExp(`pull\\s+full\\s+completed\\s+permits\\s+`
      + [entry.itemsProcessed ?? '—', entry.itemsCreated, entry.itemsUpdated, entry.itemsUnchanged, entry.itemsFailed]
        .join('\\s+')));
    assert.match(await runRow(page, incremental).innerText(), /pull\s+manual\s+completed\s+permits/);
    assert.match(await runRow(page, failed).innerText(), /pull\s+full\s+failed\s+gone/);
    await assertEveryControlLabelled(page);

    await page.getByLabel('Sync type').selectOption('full');
    await page.getByLabel('Status').selectOption('completed');
    await page.getByRole('button', { name: 'Apply filters' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/history\?sync_type=full&status=completed$/);
    await runRow(page, full).waitFor();
    await runRow(page, incremental).waitFor({ state: 'detached' });
    assert.equal(await runRow(page, failed).count(), 0, 'a failed run is not completed');
    const rows = page.locator('tbody tr');
    assert.deepEqual([...new Set(await rows.evaluateAll((trs) =>
      trs.map((tr) => `${tr.getAttribute('data-sync-type')} ${tr.getAttribute('data-status')}`)))], ['full completed']);

    await page.reload();
    await runRow(page, full).waitFor();
    assert.equal(await page.getByLabel('Sync type').inputValue(), 'full', 'the filter is kept in the URL');
    assert.equal(await page.getByLabel('Status').inputValue(), 'completed');

    await page.getByLabel('Status').selectOption('failed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/#\/history\?sync_type=full&status=failed$/);
    await runRow(page, failed).waitFor();
    await runRow(page, full).waitFor({ state: 'detached' });
    await screenshot(page, SCREENSHOTS, 'history filtered by sync type and status');

    await openRun(page, failed);
    await awaitDetailStatus(page, 'failed');
    assert.match(await page.locator('.run-error').innerText(), /gone\.json/);
  });
});
