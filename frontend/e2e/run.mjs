#!/usr/bin/env node
// End-to-end check of the Ledgerlink SPA against a running server.
//
//   BASE_URL                  server to test       (default http://127.0.0.1:8080)
//   LEDGERLINK_DEMO_EMAIL     demo user            (default demo@ledgerlink.local)
//   LEDGERLINK_DEMO_PASSWORD  demo user's password (default ledgerlink-demo)
//   CHROMIUM_PATH             browser binary       (default /usr/bin/chromium)
//
// Prints "ok - name" / "not ok - name: reason" per scenario, then "N passed, M failed";
// exits 1 when anything failed. Screenshots go to e2e/artifacts/.

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const EMAIL = process.env.LEDGERLINK_DEMO_EMAIL || 'demo@ledgerlink.local';
const PASSWORD = process.env.LEDGERLINK_DEMO_PASSWORD || 'ledgerlink-demo';
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const STEP_TIMEOUT_MS = 15_000; // any single wait or request
const SCENARIO_TIMEOUT_MS = 60_000; // a whole scenario, so nothing can hang
const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
const KEY_NAME = 'e2e key';
const QBD_NAME = 'E2E company';

const SCENARIOS = [
  'visiting / redirects to /login',
  'wrong password shows an error',
  'demo login shows the dashboard with numbers',
  'navigation reaches Logs with its filter tabs',
  'API key works with Bearer auth and stops working once revoked',
  'QuickBooks Desktop connection shows its password once and downloads its .qwc file',
  'sign out returns to /login',
];

let passed = 0;
let failed = 0;

function report(name, error) {
  if (error === undefined) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    const reason = String(error instanceof Error ? error.message : error)
      .replace(/\u001b\[[0-9;]*m/g, '') // Playwright colours its call logs
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, 3)
      .join(' | ');
    console.log(`not ok - ${name}: ${reason || 'failed'}`);
  }
}

function slug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Polls fn() until it returns a truthy value; fails with `what` and the last value seen. */
async function until(fn, what, timeout = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err instanceof Error ? err.message.split('\n')[0] : err;
    }
    if (Date.now() > deadline) throw new Error(`${what} (last seen: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function pathOf(page) {
  const u = new URL(page.url());
  return { pathname: u.pathname, search: u.search };
}

/** Ends the request within STEP_TIMEOUT_MS and returns {status, body} with body parsed as JSON when possible. */
async function postGraphQL(query, headers = {}) {
  const res = await fetch(`${BASE_URL}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
  });
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text.slice(0, 200);
  }
  return { status: res.status, body };
}

async function signIn(page, email, password) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Signs in as the demo user and waits for the app, failing at once with the server's message if refused. */
async function signInAsDemo(page) {
  await signIn(page, EMAIL, PASSWORD);
  const nav = page.getByRole('navigation', { name: 'Main' });
  const alert = page.getByRole('alert');
  await nav.or(alert).first().waitFor({ state: 'visible' });
  if (!(await nav.isVisible())) {
    throw new Error(`sign-in as ${EMAIL} failed: ${((await alert.first().textContent()) ?? '').trim()}`);
  }
}

/** Makes sure the page shows the signed-in app (signing in as the demo user if needed). */
async function ensureSignedIn(page) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  if (await nav.isVisible().catch(() => false)) return;
  await page.goto(`${BASE_URL}/`);
  const signInHeading = page.getByRole('heading', { name: 'Sign in', exact: true });
  await nav.or(signInHeading).first().waitFor({ state: 'visible' });
  if (await signInHeading.isVisible()) await signInAsDemo(page);
}

async function preflight() {
  const res = await fetch(`${BASE_URL}/auth/session`, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) });
  if (res.status !== 200 && res.status !== 401) {
    throw new Error(`GET ${BASE_URL}/auth/session answered HTTP ${res.status}, expected 200 or 401`);
  }
}

async function main() {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Screenshots of an earlier run would mislead.
  for (const f of readdirSync(ARTIFACTS)) if (f.endsWith('.png')) rmSync(path.join(ARTIFACTS, f), { force: true });

  try {
    await preflight();
  } catch (err) {
    const why = `server at ${BASE_URL} is not usable: ${err instanceof Error ? err.message : err}`;
    for (const name of SCENARIOS) report(name, why);
    return;
  }

  const profileDir = mkdtempSync(path.join(tmpdir(), 'ledgerlink-e2e-'));
  let context;
  try {
    try {
      context = await chromium.launchPersistentContext(profileDir, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
        viewport: { width: 1280, height: 860 },
        timeout: 30_000,
      });
    } catch (err) {
      const why = `could not start Chromium at ${CHROMIUM_PATH}: ${err instanceof Error ? err.message : err}`;
      for (const name of SCENARIOS) report(name, why);
      return;
    }
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
    const page = context.pages()[0] ?? (await context.newPage());

    // Uncaught exceptions in the SPA fail the scenario they happen in.
    let pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));

    const run = async (name, fn) => {
      pageErrors = [];
      let error;
      try {
        await withTimeout(fn(), SCENARIO_TIMEOUT_MS, 'scenario');
        if (pageErrors.length) error = new Error(`uncaught error in the page: ${pageErrors[0]}`);
      } catch (err) {
        error = err ?? new Error('failed');
      }
      if (error !== undefined) {
        await page.screenshot({ path: path.join(ARTIFACTS, `failed-${slug(name)}.png`), timeout: 5_000 }).catch(() => {});
      }
      report(name, error);
    };

    // (a) A fresh browser has no session: / leads to the login page.
    await run(SCENARIOS[0], async () => {
      await page.goto(`${BASE_URL}/`);
      await until(() => pathOf(page).pathname === '/login', `URL should become /login, is ${page.url()}`);
      await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor({ state: 'visible' });
    });

    // (b) A wrong password shows the server's error and stays on /login.
    await run(SCENARIOS[1], async () => {
      if (pathOf(page).pathname !== '/login') await page.goto(`${BASE_URL}/login`);
      await signIn(page, EMAIL, `${PASSWORD}-definitely-wrong`);
      const alert = page.getByRole('alert');
      await alert.waitFor({ state: 'visible' });
      const text = (await alert.textContent())?.trim();
      if (!text) throw new Error('the error box is empty');
      if (pathOf(page).pathname !== '/login') throw new Error(`left the login page for ${page.url()}`);
    });

    // (c) The demo user signs in and sees the dashboard cards with real numbers.
    await run(SCENARIOS[2], async () => {
      if (pathOf(page).pathname !== '/login') await page.goto(`${BASE_URL}/login`);
      await signInAsDemo(page);
      await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor({ state: 'visible' });
      for (const id of ['card-errors', 'card-warnings', 'card-info', 'card-api-keys']) {
        const value = page.getByTestId(`${id}-value`);
        await until(async () => /^\d[\d,.\s\u00a0\u202f]*$/.test(((await value.textContent()) ?? '').trim()), `${id} should show a number`);
      }
      const worker = page.getByTestId('card-worker');
      await until(async () => /Healthy|Stale/.test((await worker.textContent()) ?? ''), 'card-worker should say Healthy or Stale');
      await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    });

    // (d) The navigation leads to Logs, whose filter tabs work.
    await run(SCENARIOS[3], async () => {
      await ensureSignedIn(page);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Logs', exact: true }).click();
      await page.getByRole('heading', { name: 'Logs', exact: true }).waitFor({ state: 'visible' });
      if (pathOf(page).pathname !== '/logs') throw new Error(`URL is ${page.url()}, expected /logs`);
      for (const tab of ['All', 'Errors', 'Warnings', 'Info']) {
        await page.getByRole('tab', { name: tab, exact: true }).waitFor({ state: 'visible' });
      }
      await page.getByRole('tab', { name: 'Errors', exact: true }).click();
      await until(() => pathOf(page).search.includes('level=ERROR'), 'the Errors tab should put level=ERROR in the URL');
      const total = page.getByTestId('logs-total');
      await until(
        async () => /Showing \d/.test((await total.textContent()) ?? '') || (await page.getByRole('alert').count()) > 0,
        'the log list should load',
      );
      if ((await page.getByRole('alert').count()) > 0) {
        throw new Error(`the logs query failed: ${(await page.getByRole('alert').first().textContent())?.trim()}`);
      }
    });

    // (e) Create a key in Settings, use it from outside the browser, revoke it, see it refused.
    await run(SCENARIOS[4], async () => {
      await ensureSignedIn(page);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
      await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor({ state: 'visible' });
      await page.getByLabel('Key name', { exact: true }).fill(KEY_NAME);
      await page.getByRole('button', { name: 'Create key', exact: true }).click();
      const secretBox = page.getByTestId('new-api-key-secret');
      await secretBox.or(page.getByRole('alert')).first().waitFor({ state: 'visible' });
      if (!(await secretBox.isVisible())) {
        throw new Error(`creating the key failed: ${(await page.getByRole('alert').first().textContent())?.trim()}`);
      }
      const secret = ((await secretBox.textContent()) ?? '').trim();
      if (secret.length < 16) throw new Error(`the secret looks too short: ${JSON.stringify(secret)}`);

      const query = '{ viewer { account { name } authMethod } }';
      const auth = { Authorization: `Bearer ${secret}` };
      const first = await postGraphQL(query, auth);
      const method = first.body?.data?.viewer?.authMethod;
      if (method !== 'API_KEY') {
        throw new Error(`with the new key, expected authMethod API_KEY, got HTTP ${first.status} ${JSON.stringify(first.body).slice(0, 200)}`);
      }

      // The new key's row: active, named KEY_NAME, and its prefix starts the secret.
      const rows = page.locator('tr[data-testid="api-key-row"]');
      const prefix = await until(async () => {
        const candidates = await rows.evaluateAll((trs) =>
          trs.map((tr) => ({ prefix: tr.getAttribute('data-key-prefix') ?? '', status: tr.getAttribute('data-key-status'), text: tr.textContent ?? '' })),
        );
        const hit = candidates.find((c) => c.status === 'active' && c.prefix && c.text.includes(KEY_NAME) && secret.startsWith(c.prefix.replace(/[.…]+$/, '')));
        return hit?.prefix;
      }, 'the new key should be listed as active, with a prefix that starts the secret');
      const attr = prefix.replace(/["\\]/g, '\\$&');
      // Newest first: if an older run left a key with the same prefix, ours is the first.
      const row = page.locator(`tr[data-testid="api-key-row"][data-key-prefix="${attr}"]`).filter({ hasText: KEY_NAME }).first();

      await row.getByRole('button', { name: 'Revoke', exact: true }).click();
      await row.getByRole('button', { name: 'Yes, revoke', exact: true }).click();
      await until(async () => (await row.getAttribute('data-key-status')) === 'revoked', 'the key should show as Revoked');
      await row.getByText('Revoked', { exact: true }).waitFor({ state: 'visible' });

      const second = await postGraphQL(query, auth);
      const code = second.body?.errors?.[0]?.extensions?.code;
      if (code !== 'UNAUTHENTICATED') {
        throw new Error(`after revoking, expected UNAUTHENTICATED, got HTTP ${second.status} ${JSON.stringify(second.body).slice(0, 200)}`);
      }
      await page.getByRole('button', { name: 'I have stored the key', exact: true }).click();
    });

    // (f) Add a QuickBooks Desktop connection: password shown once, .qwc file downloaded, listed with nothing queued.
    await run(SCENARIOS[5], async () => {
      await ensureSignedIn(page);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections', exact: true }).click();
      await page.getByRole('heading', { name: 'Connections', exact: true }).waitFor({ state: 'visible' });
      await page.getByLabel('Connection name', { exact: true }).fill(QBD_NAME);
      await page.getByRole('button', { name: 'Add connection', exact: true }).click();
      const panel = page.getByTestId('qbd-password');
      await panel.or(page.getByRole('alert')).first().waitFor({ state: 'visible' });
      if (!(await panel.isVisible())) {
        throw new Error(`adding the connection failed: ${(await page.getByRole('alert').first().textContent())?.trim()}`);
      }
      const password = ((await panel.getByTestId('qbd-password-value').textContent()) ?? '').trim();
      if (!password) throw new Error('the password panel shows no password');
      const id = await panel.getAttribute('data-connection-id');
      if (!id) throw new Error('the password panel does not say which connection it belongs to');

      // Our connection, by id: an earlier run against the same server may have left one with the same name.
      const card = page.getByTestId(`qbd-connection-${id}`);
      await card.waitFor({ state: 'visible' });
      const cardText = (await card.textContent()) ?? '';
      if (!cardText.includes(QBD_NAME)) throw new Error(`connection ${id} is not named ${QBD_NAME}: ${cardText.slice(0, 120)}`);
      const username = ((await card.getByTestId('qbd-username').textContent()) ?? '').trim();
      if (!username) throw new Error('the connection shows no Web Connector username');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`qwc-download-${id}`).click()]);
      const fileName = download.suggestedFilename();
      if (!fileName.endsWith('.qwc')) throw new Error(`the download is named ${JSON.stringify(fileName)}, expected *.qwc`);
      const failure = await download.failure();
      if (failure) throw new Error(`the download failed: ${failure}`);
      const text = readFileSync(await download.path(), 'utf8');
      if (!text.includes('<QBWCXML>')) throw new Error(`the .qwc file has no <QBWCXML>: ${text.slice(0, 120)}`);
      if (!text.includes(username)) throw new Error(`the .qwc file does not name the Web Connector user ${username}`);

      const queued = card.getByTestId('qbd-work-queued');
      await until(async () => ((await queued.textContent()) ?? '').trim() === '0 Queued', 'the new connection should show 0 Queued');
      await page.screenshot({ path: path.join(ARTIFACTS, 'connections.png'), fullPage: true });

      await panel.getByRole('button', { name: 'I have entered the password', exact: true }).click();
      await panel.waitFor({ state: 'detached' });
      if ((await page.getByText(password, { exact: true }).count()) > 0) throw new Error('the password is still on the page');
    });

    // (g) Signing out ends the session.
    await run(SCENARIOS[6], async () => {
      await ensureSignedIn(page);
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await until(() => pathOf(page).pathname === '/login', `URL should become /login, is ${page.url()}`);
      await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor({ state: 'visible' });
      // The cookie is really gone: the dashboard sends us back.
      await page.goto(`${BASE_URL}/`);
      await until(() => pathOf(page).pathname === '/login', `after sign-out, / should lead to /login, is ${page.url()}`);
    });
  } finally {
    await context?.close().catch(() => {});
    rmSync(profileDir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (err) {
  report('e2e run', err);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
