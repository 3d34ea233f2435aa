// The integration check end to end: the example POS scripts of examples/integration-check/ run against a
// real sandbox, the CLI starts and reports the runs, the JUnit files are read with a standard XML parser.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { api } from '../helpers/admin-call.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { dropSchema, freshSchemaName, postgresSkipReason, TEST_PG_URL } from '../helpers/store-matrix.js';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/integration-check/', import.meta.url));
const P = DEMO_MERCHANT.partner;
const STORES = [
  { name: 'SQLite', flags: {}, skip: undefined },
  { name: 'PostgreSQL', flags: { db: TEST_PG_URL, dbSchema: freshSchemaName() }, skip: postgresSkipReason() },
];

/** What the careless POS gets wrong, and nothing else. */
const CARELESS_FAILS = [
  'cancel-unknown-trade',
  'notification-bad-signature',
  'notification-success',
  'pay-bad-signature',
  'pay-no-answer',
  'pay-system-error',
  'pay-wait-buyer-pay',
  'refund-new-id',
];

function runPos(script: string, app: TestApp, tag: string): Promise<Record<string, unknown>> {
  const args = [
    join(EXAMPLES, script),
    '--gateway',
    `${app.url}/gateway.do`,
    '--partner',
    P,
    '--key',
    DEMO_MERCHANT.md5Key,
    '--tag',
    tag,
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${script}: ${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Record<string, unknown>);
    });
  });
}

interface JunitCase {
  '@_name': string;
  failure?: { '@_message': string; '#text': string };
  skipped?: unknown;
}

async function readJunit(file: string): Promise<{ failures: string; cases: JunitCase[] }> {
  const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(
    await readFile(file, 'utf8'),
  ) as {
    testsuites: { testsuite: { '@_failures': string; testcase: JunitCase[] } };
  };
  return { failures: xml.testsuites.testsuite['@_failures'], cases: xml.testsuites.testsuite.testcase };
}

for (const store of STORES) {
  describe(`the integration check of the example POS scripts on ${store.name}`, { skip: store.skip }, () => {
    let app: TestApp;
    let dir: string;
    before(async () => {
      app = await startTestApp({ ...store.flags, notifySchedule: '100ms,100ms,100ms' });
      dir = await mkdtemp(join(tmpdir(), 'alipay-mock-check-'));
    });
    after(async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
      if (store.flags.dbSchema !== undefined) await dropSchema(store.flags.dbSchema);
    });
    const cli = (...args: string[]) => runCli([...args, '--partner', P, '--gateway-url', app.url]);

    it('passes every scenario with the reference POS', async () => {
      const started = await cli('check', 'start');
      assert.equal(started.code, 0, started.stderr);
      assert.match(started.stdout, /pay-system-error\s+CHK-SYSERR-/);
      const seen = await runPos('reference-pos.mjs', app, 'ref');
      // Five notifications at least: the mis-signed one is refused, so it may be retried before the POS ends.
      assert.ok(Number(seen['notificationsReceived']) >= 5, JSON.stringify(seen));
      assert.equal(seen['cancelUnknown'], 'FAIL', JSON.stringify(seen));
      assert.equal(seen['waitBuyerPay'], 'cancelled (SUCCESS)', JSON.stringify(seen));
      const junit = join(dir, 'reference.xml');
      const report = await cli('check', 'report', '--end', '--junit', junit);
      assert.equal(report.code, 0, report.stdout);
      assert.match(report.stdout, /13 passed, 0 failed, 0 not exercised/);
      const { failures, cases } = await readJunit(junit);
      assert.equal(failures, '0');
      assert.equal(cases.length, 13);
      assert.ok(cases.every((c) => c.failure === undefined && c.skipped === undefined));
    });

    it('fails the careless POS on exactly the scenarios it gets wrong, with evidence', async () => {
      const started = await api(app.url, 'POST', `/api/merchants/${P}/check-runs`, {});
      assert.equal(started.status, 201);
      await runPos('careless-pos.mjs', app, 'careless');
      const junit = join(dir, 'careless.xml');
      const report = await cli('check', 'report', '--end', '--junit', junit);
      assert.equal(report.code, 1, report.stdout);
      const { failures, cases } = await readJunit(junit);
      assert.equal(failures, String(CARELESS_FAILS.length));
      assert.deepEqual(
        cases
          .filter((c) => c.failure !== undefined)
          .map((c) => c['@_name'])
          .sort(),
        CARELESS_FAILS,
      );
      const noAnswer = cases.find((c) => c['@_name'] === 'pay-no-answer');
      assert.match(noAnswer?.failure?.['@_message'] ?? '', /paid again as CHK-NOANSWER-careless-again/);
      assert.match(noAnswer?.failure?.['#text'] ?? '', /\/api\/requests\/\d+/);
      const unknownCancel = cases.find((c) => c['@_name'] === 'cancel-unknown-trade');
      assert.match(unknownCancel?.failure?.['@_message'] ?? '', /4 more cancel\(s\) and 0 pay/);
      const json = await api(
        app.url,
        'GET',
        `/api/merchants/${P}/check-runs/${started.json['id'] as string}`,
      );
      const verdicts = json.json['report'] as Array<{
        scenario: string;
        status: string;
        evidence: unknown[];
      }>;
      for (const v of verdicts.filter((x) => CARELESS_FAILS.includes(x.scenario))) {
        assert.equal(v.status, 'failed');
        assert.ok(v.evidence.length > 0, v.scenario);
      }
    });
  });
}
