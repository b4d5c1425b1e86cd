/**
 * What a person does in the console, as small steps each test composes: sign in, open a run, answer a
 * confirmation; and what every view must give them — a label on every control — checked the same way everywhere.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';

/** Opens the console at `url` (the service's address) and signs in with `token` for `tenant`. */
export async function signIn(page: Page, url: string, token: string, tenant: string): Promise<void> {
  await page.goto(`${url}/console/`);
  await page.getByLabel('API key or JWT').fill(token);
  await page.getByLabel('Tenant ID').fill(tenant);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The Runs list's row of a run. */
export function runRow(page: Page, syncId: string): Locator {
  return page.locator(`tr[data-sync-id="${syncId}"]`);
}

/** Waits until the Runs list shows the run in `status` — by its own polling, the page is never reloaded. */
export async function awaitRowStatus(page: Page, syncId: string, status: string, timeout = 60_000): Promise<void> {
  await page.locator(`tr[data-sync-id="${syncId}"][data-status="${status}"]`).waitFor({ timeout });
}

/** Follows the run's link from the Runs list to its detail. */
export async function openRun(page: Page, syncId: string): Promise<void> {
  await page.getByRole('link', { name: `Run ${syncId}` }).click();
  await page.getByRole('heading', { name: `Run ${syncId}` }).waitFor();
}

/** Waits until the run's detail shows it in `status`. */
export async function awaitDetailStatus(page: Page, status: string, timeout = 60_000): Promise<void> {
  await page.locator(`[data-field="status"] .status-${status}`).waitFor({ timeout });
}

/** A count of the run's detail (`total`, `new`, `failed`…), as shown. */
export async function shownCount(page: Page, name: string): Promise<string> {
  return (await page.locator(`[data-count="${name}"] dd`).innerText()).trim();
}

/** Presses `action` and answers the confirmation dialog with `answer`. */
export async function confirmAction(page: Page, action: string, answer: string): Promise<void> {
  await page.getByRole('button', { name: action }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: answer }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Every input, select, textarea and button on the page has an accessible name: a label, an ARIA name or text. */
export async function assertEveryControlLabelled(page: Page): Promise<void> {
  const unlabelled = await page.locator('input, select, textarea, button').evaluateAll((controls) =>
    controls.filter((control) => {
      const labels = (control as HTMLInputElement).labels;
      return !(labels && labels.length > 0) && !control.getAttribute('aria-label')
        && !control.getAttribute('aria-labelledby') && !(control.textContent ?? '').trim();
    }).map((control) => control.outerHTML));
  assert.deepEqual(unlabelled, [], 'controls without a label');
}

/** Saves the page as `<directory>/<name>.png`, the test's artifact. */
export async function screenshot(page: Page, directory: string, name: string): Promise<string> {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `${name.replace(/[^A-Za-z0-9_-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
