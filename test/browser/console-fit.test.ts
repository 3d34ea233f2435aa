// Every page of the web console, filled with realistic data at its longest, fits a 390 px phone and a
// 1280 px laptop: nothing scrolls the page sideways (wide tables scroll inside their card), controls
// stay inside their fieldsets, and identifiers in tables are never broken across lines.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { DEMO_CONSOLE_LOGINS, DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { signIn, signInOperator } from '../helpers/console-client.js';
import { populateConsole, type ConsoleFixtures } from '../helpers/console-fixtures.js';
import { CHROMIUM_SKIP, launchChromium, screenshot } from '../helpers/browser.js';
import { brokenWords, controlsOutsideTheirBox, overflowOf } from '../helpers/page-fit.js';

const DEMO = DEMO_CONSOLE_LOGINS[0]!;
const BASE = `/m/${DEMO_MERCHANT.partner}`;
const WIDTHS = [390, 1280] as const;

type Viewer = 'visitor' | 'merchant' | 'operator';

/** One page to look at: who looks, where, and a name for its screenshot. */
interface Visit {
  as: Viewer;
  path: string;
  name: string;
  status?: number;
}

// Routes of the app that are not the console's pages.
const NOT_CONSOLE = [/^\/api(\/|$)/, /^\/gateway\.do$/, /^\/assets\//, /^\/(metrics|healthz|readyz)$/];
// Console routes that answer something other than a page.
const NOT_PAGES: Readonly<Record<string, string>> = {
  '/m/:partner/requests.json': 'JSON for the live log',
  '/m/:partner/rules/export': 'a file download',
  '/m/:partner/requests/:id/response': "a download of the answer's bytes",
  '/wallet/:token':
    'the wallet page, outside the console: test/browser/wallet-page.test.ts opens it at 390 px',
  '/wallet/:token/qr.svg': 'an SVG image: test/gateway/qr-image.test.ts reads it back',
};

// Pages that answer a form: name, the page with the form, its button, what the answer shows.
const AFTER_POST = [
  ['try-result', '/try?service=pay', 'Sign and send', '[data-result]'],
  ['rule-errors', '/rules/new', 'Save rule', '[data-error-summary]'],
] as const;

/** The console's pages for each GET route, with the data populateConsole made. */
function pagesOf(f: ConsoleFixtures): Readonly<Record<string, readonly Visit[]>> {
  const m = (path: string, name: string, status?: number): Visit => ({
    as: 'merchant',
    path: `${BASE}${path}`,
    name,
    ...(status ? { status } : {}),
  });
  return {
    '/': [{ as: 'visitor', path: '/', name: 'start' }],
    '/login': [{ as: 'visitor', path: '/login?done=signed-out', name: 'login' }],
    '/operator': [{ as: 'operator', path: '/operator', name: 'operator' }],
    '/operator/switch': [
      {
        as: 'operator',
        path: `/operator/switch?partner=${DEMO_MERCHANT.partner}`,
        name: 'operator-overview',
      },
    ],
    '/m/:partner': [m('', 'overview')],
    '/m/:partner/': [m('/', 'overview-slash')],
    '/m/:partner/buyers': [m('/buyers', 'buyers')],
    '/m/:partner/buyers/:userId': [m(`/buyers/${f.buyerUserId}`, 'buyer')],
    '/m/:partner/rules': [m('/rules?service=pay', 'rules-pay'), m('/rules?service=refund', 'rules-refund')],
    '/m/:partner/rules/new': [m('/rules/new', 'rule-new')],
    '/m/:partner/rules/:id/edit': [m(`/rules/${f.pendingRuleId}/edit`, 'rule-edit')],
    '/m/:partner/requests': [m('/requests', 'requests')],
    '/m/:partner/requests/:id': [m(`/requests/${f.longPayRequestId}`, 'request')],
    '/m/:partner/trades': [m('/trades', 'trades'), m('/trades/NO-SUCH-TRADE', 'not-found', 404)],
    '/m/:partner/trades/:id': [
      m(`/trades/${f.refundedTradeId}`, 'trade'),
      m(`/trades/${f.qrOrderTradeId}`, 'trade-qr-order'),
    ],
    '/m/:partner/try': [m('/try?service=pay', 'try-pay'), m('/try?service=refund', 'try-refund')],
    '/m/:partner/check': [m('/check', 'check-runs')],
    '/m/:partner/check/:id': [m('/check/chk-000000000000', 'check-run-not-found', 404)],
  };
}

/** Every GET route of the app, from Fastify's own route tree (full paths, parameters as `:name`). */
function getRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false, method: 'GET' }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    const path = (stack[depth - 1] ?? '') + (m[2] ?? '');
    stack.length = depth;
    stack[depth] = path;
    if ((m[3] ?? '').split(', ').includes('GET')) routes.push(path);
  }
  return routes;
}

describe('every console page fits a phone and a laptop', { skip: CHROMIUM_SKIP, timeout: 300_000 }, () => {
  let app: TestApp;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  let fixtures: ConsoleFixtures;
  const sessions = new Map<Viewer, string>();
  const pageErrors: string[] = [];

  const visits = () => Object.values(pagesOf(fixtures)).flat();

  async function open(visit: Visit): Promise<void> {
    const session = sessions.get(visit.as);
    await browser.context.clearCookies();
    if (session) await browser.context.addCookies([{ name: 'amock_session', value: session, url: app.url }]);
    const response = await page.goto(`${app.url}${visit.path}`);
    assert.equal(response?.status(), visit.status ?? 200, `${visit.path} answered ${response?.status()}`);
  }

  /** What is wrong with the page shown: sideways scrolling, identifiers broken across lines. */
  async function problemsOf(label: string): Promise<string[]> {
    const problems: string[] = [];
    const { overflow, culprits } = await overflowOf(page);
    if (overflow > 0) problems.push(`${label} scrolls sideways by ${overflow}px: ${culprits.join(', ')}`);
    const broken = await brokenWords(page);
    if (broken.length > 0) problems.push(`${label} breaks ${broken.join(', ')}`);
    return problems;
  }

  before(async () => {
    app = await startTestApp();
    fixtures = await populateConsole(app.url);
    const merchant = await signIn(app.url, DEMO.email, DEMO.password);
    const operator = await signInOperator(app.url);
    sessions.set('merchant', merchant.cookie.replace(/^amock_session=/, ''));
    sessions.set('operator', operator.cookie.replace(/^amock_session=/, ''));
    browser = await launchChromium();
    page = browser.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  test('this test visits every GET page of the console', () => {
    const routes = getRoutes(app.app).filter((r) => !NOT_CONSOLE.some((re) => re.test(r)));
    assert.ok(routes.includes('/m/:partner/rules/:id/edit'), `the route tree was read: ${routes.join(' ')}`);
    const covered = new Set([...Object.keys(pagesOf(fixtures)), ...Object.keys(NOT_PAGES)]);
    const missing = routes.filter((r) => !covered.has(r));
    assert.deepEqual(missing, [], 'a console page is missing from pagesOf() in this test: add it there');
  });

  for (const width of WIDTHS) {
    test(`no page scrolls sideways at ${width} px, and no identifier in a table breaks`, async () => {
      await page.setViewportSize({ width, height: width < 600 ? 844 : 800 });
      const problems: string[] = [];
      for (const visit of visits()) {
        await open(visit);
        problems.push(...(await problemsOf(visit.path)));
        await screenshot(page, `fit-${width}-${visit.name}`);
      }
      // Pages that follow a POST: the answer of Try it, and the rule editor showing its problems.
      for (const [name, path, button, shown] of AFTER_POST) {
        await open({ as: 'merchant', path: `${BASE}${path}`, name });
        await page.getByRole('button', { name: button }).click();
        await page.locator(shown).waitFor();
        problems.push(...(await problemsOf(name)));
        await screenshot(page, `fit-${width}-${name}`);
      }
      assert.deepEqual(problems, []);
      assert.deepEqual(pageErrors, []);
    });

    test(`the rule editor's controls stay inside their fieldsets at ${width} px`, async () => {
      await page.setViewportSize({ width, height: 844 });
      await open({ as: 'merchant', path: `${BASE}/rules/${fixtures.pendingRuleId}/edit`, name: '' });
      assert.equal(await page.locator('[name="then.business.resolve.to"]').isVisible(), true);
      assert.equal(await page.locator('[name="then.business.notify.mode"]').isVisible(), true);
      assert.deepEqual(await controlsOutsideTheirBox(page), []);
    });
  }
});
