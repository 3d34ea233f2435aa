// The integration check's console pages, over real HTTP with a signed-in merchant.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_CONSOLE_LOGINS, DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { PAY_SERVICE } from '../../src/protocol/constants.js';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { consoleRequest, csrfOf, signIn, type ConsoleSessionCookies } from '../helpers/console-client.js';
import { callGateway } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';
import { api } from '../helpers/admin-call.js';

let app: TestApp;
let s: ConsoleSessionCookies;
const base = `/m/${DEMO_MERCHANT.partner}`;

before(async () => {
  app = await startTestApp();
  s = await signIn(app.url, DEMO_CONSOLE_LOGINS[0]!.email, DEMO_CONSOLE_LOGINS[0]!.password);
});
after(() => app.close());

test('the run list and a run report show each verdict, the findings and links to the flagged requests', async () => {
  const empty = await consoleRequest(app.url, `${base}/check`, { cookie: s.cookie });
  assert.equal(empty.status, 200);
  assert.match(empty.text, /No check run yet/);
  const run = await api(app.url, 'POST', `/api/merchants/${DEMO_MERCHANT.partner}/check-runs`, {
    scenarios: ['pay-system-error', 'refund-new-id'],
  });
  const id = run.json['id'] as string;
  await callGateway(app.url, PAY_SERVICE, aPay({ partner_trans_id: 'CHK-SYSERR-<b>1' }));
  const list = await consoleRequest(app.url, `${base}/check`, { cookie: s.cookie });
  assert.match(list.text, new RegExp(`href="${base}/check/${id}"`));
  const page = await consoleRequest(app.url, `${base}/check/${id}`, { cookie: s.cookie });
  assert.equal(page.status, 200);
  assert.match(page.text, /0 passed, 1 failed, 1 not exercised/);
  assert.match(page.text, /<span class="badge badge-bad">failed<\/span> Pay answered SYSTEM_ERROR/);
  assert.match(page.text, /CHK-SYSERR-&lt;b&gt;1: never queried/);
  assert.doesNotMatch(page.text, /CHK-SYSERR-<b>/);
  const logId = (await app.store.listRequestLog({ partner: DEMO_MERCHANT.partner, limit: 1 }))[0]!.id;
  assert.match(
    page.text,
    new RegExp(`<a href="${base}/requests/${logId}">#${logId}</a>\\s*<span class="badge badge-bad">flagged`),
  );
  const missing = await consoleRequest(app.url, `${base}/check/chk-nope`, { cookie: s.cookie });
  assert.equal(missing.status, 404);
  assert.match(missing.text, /There is no such check run/);
});

test('a run is started and ended from the console, with the CSRF token, and a second start is refused', async () => {
  const partner = DEMO_MERCHANT.partner;
  for (const r of await app.store.listCheckRuns(partner)) {
    if (r.endedAt === null) await api(app.url, 'POST', `/api/merchants/${partner}/check-runs/${r.id}/end`);
  }
  const list = await consoleRequest(app.url, `${base}/check`, { cookie: s.cookie });
  assert.match(list.text, /Start a run of every scenario/);
  const forged = await consoleRequest(app.url, `${base}/check`, { cookie: s.cookie, form: {} });
  assert.equal(forged.status, 403);
  const started = await consoleRequest(app.url, `${base}/check`, {
    cookie: s.cookie,
    form: { _csrf: csrfOf(list.text) },
  });
  assert.equal(started.status, 303);
  const id = /\/check\/(chk-[0-9a-f]+)$/.exec(started.location ?? '')?.[1];
  assert.ok(id, `redirected to the run: ${started.location}`);
  const running = await app.store.getCheckRun(partner, id);
  assert.equal(running?.endedAt, null);
  assert.ok((running?.ruleIds.length ?? 0) > 0);
  const again = await consoleRequest(app.url, `${base}/check`, {
    cookie: s.cookie,
    form: { _csrf: csrfOf(list.text) },
  });
  assert.equal(again.status, 409);
  assert.match(again.text, /already running/);
  const page = await consoleRequest(app.url, `${base}/check/${id}`, { cookie: s.cookie });
  assert.match(page.text, /End the run/);
  const ended = await consoleRequest(app.url, `${base}/check/${id}/end`, {
    cookie: s.cookie,
    form: { _csrf: csrfOf(page.text) },
  });
  assert.equal(ended.status, 303);
  const stored = await app.store.getCheckRun(partner, id);
  assert.notEqual(stored?.endedAt, null);
  assert.notEqual(stored?.report, null);
  for (const ruleId of stored?.ruleIds ?? []) assert.equal(await app.store.getRule(ruleId), undefined);
});

test('the start form keys a run by amount, and a bad choice gets a message next to the field', async () => {
  const partner = DEMO_MERCHANT.partner;
  for (const r of await app.store.listCheckRuns(partner)) {
    if (r.endedAt === null) await api(app.url, 'POST', `/api/merchants/${partner}/check-runs/${r.id}/end`);
  }
  const list = await consoleRequest(app.url, `${base}/check`, { cookie: s.cookie });
  assert.match(list.text, /<select[^>]*name="keyedBy"/);
  const bad = await consoleRequest(app.url, `${base}/check`, {
    cookie: s.cookie,
    form: { _csrf: csrfOf(list.text), keyedBy: 'colour' },
  });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /aria-invalid="true"/);
  assert.match(bad.text, /<p class="field-error" id="e-keyed-by">.*Choose a trade id prefix or an amount/);
  const started = await consoleRequest(app.url, `${base}/check`, {
    cookie: s.cookie,
    form: { _csrf: csrfOf(list.text), keyedBy: 'amount' },
  });
  assert.equal(started.status, 303);
  const id = /\/check\/(chk-[0-9a-f]+)$/.exec(started.location ?? '')?.[1] ?? '';
  const run = await app.store.getCheckRun(partner, id);
  assert.equal(run?.keyedBy, 'amount');
  const rules = await Promise.all((run?.ruleIds ?? []).map((r) => app.store.getRule(r)));
  assert.ok(rules.some((r) => r?.when[0]?.field === 'trans_amount'));
  const again = await consoleRequest(app.url, `${base}/check`, { cookie: s.cookie });
  assert.match(again.text, /keyed by amount/);
  await api(app.url, 'POST', `/api/merchants/${partner}/check-runs/${id}/end`);
});
