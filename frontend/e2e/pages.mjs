// The page tour of the e2e run: Dashboard, Orders, Order detail, the Add store wizard, the ShipStation
// set-up wizard, Settings, a store's settings and Missing Product Mapping at a desktop (1440 × 900) and a phone (390 × 844) viewport — a full-page screenshot
// of each and an axe-core accessibility check (serious and critical violations are failures).
//
// run.mjs calls tourPages() with its signed-in page. Run alone against any server (e.g. to take
// "before" screenshots of an older build):
//   BASE_URL=http://127.0.0.1:8080 node e2e/pages.mjs <output folder>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

/** The impacts that fail the check; minor and moderate ones are reported only. */
export const FAILING_IMPACTS = new Set(['serious', 'critical']);

let axeSource;
function axeScript() {
  // axe-core is injected with page.evaluate, which the SPA's Content-Security-Policy (script-src
  // 'self') does not govern; a <script> tag would be refused.
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/** Runs axe-core on the page as it is; returns its violations as {id, impact, help, nodes, targets}. */
export async function axeViolations(page) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(axeScript());
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
}

/** Waits until the app's "Loading…" lines are gone (at most `ms`). */
async function settle(page, ms = 8_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const busy = await page.getByText('Loading…', { exact: true }).count();
    if (busy === 0) break;
    await page.waitForTimeout(150);
  }
  await page.waitForTimeout(300); // charts draw after their data arrives
}

/** The pages of the tour: each opens itself from a signed-in page and waits for its heading. */
export const TOUR = [
  {
    name: 'dashboard',
    open: async (page, base) => {
      await page.goto(`${base}/`);
      await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor({ state: 'visible' });
    },
  },
  {
    name: 'orders',
    open: async (page, base) => {
      await page.goto(`${base}/orders`);
      await page.getByRole('heading', { name: 'Orders', exact: true }).waitFor({ state: 'visible' });
    },
  },
  {
    name: 'order-detail',
    open: async (page, base) => {
      await page.goto(`${base}/orders`);
      await page.getByRole('heading', { name: 'Orders', exact: true }).waitFor({ state: 'visible' });
      const link = page.locator('#orders-results a[href^="/orders/"]').first();
      await link.waitFor({ state: 'visible' });
      await link.click();
      await page.locator('h1').filter({ hasText: /^Order / }).first().waitFor({ state: 'visible' });
    },
  },
  {
    name: 'store-wizard',
    open: async (page, base) => {
      await page.goto(`${base}/connections`);
      await page.getByRole('button', { name: 'Add store', exact: true }).first().click();
      await page.getByTestId('add-store-wizard').waitFor({ state: 'visible' });
    },
  },
  {
    name: 'shipstation-wizard',
    open: async (page, base) => {
      await page.goto(`${base}/connections`);
      await page.getByRole('button', { name: 'Sync QuickBooks sales to ShipStation', exact: true }).click();
      const wizard = page.getByTestId('shipstation-wizard');
      await wizard.waitFor({ state: 'visible' });
      // The new-account fields with where to find the key and secret.
      await wizard.getByLabel('Connect a ShipStation account with its API key and secret').check();
      await wizard.getByTestId('credentials-howto').waitFor({ state: 'visible' });
    },
  },
  {
    name: 'settings',
    open: async (page, base) => {
      await page.goto(`${base}/settings`);
      await page.getByTestId('settings-stores').waitFor({ state: 'visible' });
    },
  },
  {
    // Settings → Alerts (issue 16) with its form loaded.
    name: 'settings-alerts',
    open: async (page, base) => {
      await page.goto(`${base}/settings#alerts`);
      const section = page.getByTestId('alert-settings');
      await section.getByLabel('E-mail recipients').waitFor({ state: 'visible' });
      await section.scrollIntoViewIfNeeded();
    },
  },
  {
    // The demo company's Web Connector health page (issue 16), reached from the dashboard.
    name: 'web-connector-health',
    open: async (page, base) => {
      await page.goto(`${base}/`);
      await page.getByRole('link', { name: 'Web Connector health' }).first().click();
      await page.getByTestId('wc-status-line').waitFor({ state: 'visible' });
    },
  },
  {
    // A store's settings (Missing Product Action among them), reached from Settings.
    name: 'store-settings',
    open: async (page, base) => {
      await page.goto(`${base}/settings`);
      await page.getByTestId('settings-stores').getByRole('link', { name: /^Change settings of / }).first().click();
      await page.locator('[data-testid^="store-settings-"]').first().getByLabel('Missing Product Action').waitFor({ state: 'visible' });
    },
  },
  {
    name: 'missing-products',
    open: async (page, base) => {
      await page.goto(`${base}/products/missing`);
      await page.getByRole('heading', { name: 'Missing Product Mapping', exact: true }).waitFor({ state: 'visible' });
    },
  },
];

/**
 * Visits every page of the tour at every viewport: a screenshot `<page>-<viewport>.png` in outDir,
 * axe-core's violations, after `check(name, viewport, page)` when given (it throws to fail). Restores
 * the viewport it found. Returns {results: [{page, viewport, violations, failing}], problems: [...]}.
 */
export async function tourPages(page, base, outDir, check) {
  mkdirSync(outDir, { recursive: true });
  const before = page.viewportSize();
  const results = [];
  const problems = [];
  try {
    for (const vp of VIEWPORTS) {
      await page.setViewportSize({ width: vp.width, height: vp.height });
      for (const stop of TOUR) {
        const where = `${stop.name} at ${vp.width}×${vp.height}`;
        try {
          await stop.open(page, base);
          await settle(page);
          // The check first: what it brings up (a wizard's errors, a warning) is screenshot and checked by axe too.
          if (check) await check(stop.name, vp, page);
          await page.screenshot({ path: path.join(outDir, `${stop.name}-${vp.name}.png`), fullPage: true });
          const violations = await axeViolations(page);
          const failing = violations.filter((v) => FAILING_IMPACTS.has(v.impact));
          results.push({ page: stop.name, viewport: vp.name, violations, failing: failing.length });
          for (const v of failing) problems.push(`${where}: axe ${v.impact} ${v.id} (${v.help}) on ${v.targets.join(', ')}`);
        } catch (err) {
          problems.push(`${where}: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
        }
      }
    }
  } finally {
    if (before) await page.setViewportSize(before);
  }
  writeFileSync(path.join(outDir, 'axe.json'), JSON.stringify(results, null, 2));
  return { results, problems };
}

/** "dashboard desktop 0 serious/critical (2 minor/moderate)", one line a page and viewport. */
export function axeSummary(results) {
  return results
    .map((r) => `${r.page} ${r.viewport}: ${r.failing} serious/critical, ${r.violations.length - r.failing} minor/moderate`)
    .join('\n');
}

// Standalone: sign in as the demo user and tour.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { chromium } = await import('playwright-core');
  const base = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
  const out = path.resolve(process.argv[2] || 'e2e/artifacts/tour');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(15_000);
    await page.goto(`${base}/login`);
    await page.getByLabel('Email', { exact: true }).fill(process.env.LEDGERLINK_DEMO_EMAIL || 'demo@ledgerlink.local');
    await page.getByLabel('Password', { exact: true }).fill(process.env.LEDGERLINK_DEMO_PASSWORD || 'ledgerlink-demo');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ state: 'visible' });
    const { results, problems } = await tourPages(page, base, out);
    console.log(axeSummary(results));
    for (const p of problems) console.log(`problem: ${p}`);
  } finally {
    await browser.close();
  }
}
