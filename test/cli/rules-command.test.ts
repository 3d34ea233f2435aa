import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { api } from '../helpers/admin-call.js';
import { runCli } from '../helpers/run-cli.js';

const DEMO = '2088101122136241';
const HK = '2088021966388155';
const PAY = 'alipay.acquire.overseas.spot.pay';
const TOKEN = 'import-token-123';

const VALID_YAML = `version: 1
rules:
  - id: decline-1234
    partner: "${DEMO}"
    service: ${PAY}
    name: decline 12.34
    when: [{ field: trans_amount, op: eq, value: "12.34" }]
    then: { type: business, result_code: FAILED, error: BUYER_BALANCE_NOT_ENOUGH }
  - id: slow-queries
    partner: "${DEMO}"
    service: alipay.acquire.overseas.query
    name: slow queries
    then: { type: fault, fault: delay, delay: { type: fixed, ms: 10 } }
`;

/** Rules of every shape, created through the admin API in this order. */
const SOURCE_RULES = [
  {
    id: 'decline-1234',
    partner: DEMO,
    service: PAY,
    name: 'decline 12.34',
    priority: 10,
    when: [{ field: 'trans_amount', op: 'eq', value: '12.34' }],
    then: {
      type: 'business',
      result_code: 'FAILED',
      error: 'BUYER_BALANCE_NOT_ENOUGH',
      fields: { detail_error_des: 'declined {{partner_trans_id}} at {{now:yyyy-MM-dd HH:mm:ss}}' },
    },
    times: 3,
  },
  {
    partner: DEMO,
    service: 'alipay.acquire.overseas.spot.refund',
    name: 'refund flaky',
    when: [{ field: 'refund_amount', op: 'gte', value: '50' }],
    then: {
      type: 'sequence',
      steps: [{ type: 'business', result_code: 'FAILED', error: 'SYSTEM_ERROR' }, { type: 'normal' }],
    },
  },
  {
    partner: DEMO,
    service: 'alipay.acquire.overseas.query',
    name: 'slow queries (off)',
    enabled: false,
    then: { type: 'fault', fault: 'delay', delay: { type: 'uniform', minMs: 3000, maxMs: 8000 } },
  },
  { partner: DEMO, service: PAY, name: 'tie, older', when: [], then: { type: 'normal' } },
  { partner: DEMO, service: PAY, name: 'tie, newer', then: { type: 'gateway_error', code: 'SYSTEM_ERROR' } },
  {
    id: 'hk-all',
    partner: HK,
    service: '*',
    name: 'HK store S9',
    priority: -5,
    when: [{ field: 'extend_info.store_id', op: 'in', value: ['S9', '007'] }],
    then: { type: 'broken', kind: 'html_error', status: 503 },
    expiresAt: '2030-01-01T08:00:00+08:00',
  },
];

/** GET /api/rules, optionally with a bearer token, without the counters and timestamps. */
async function definitions(url: string, token?: string): Promise<unknown[]> {
  const res = await fetch(`${url}/api/rules`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const { items } = (await res.json()) as { items: Array<Record<string, unknown>> };
  return items.map(({ hits: _h, remaining: _r, createdAt: _c, updatedAt: _u, ...rest }) => rest);
}

describe('alipay-mock rules', () => {
  let dir: string;
  let source: TestApp;
  let target: TestApp;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alipay-mock-cli-rules-'));
    [source, target] = await Promise.all([startTestApp(), startTestApp({ adminToken: TOKEN })]);
    for (const rule of SOURCE_RULES) {
      const res = await api(source.url, 'POST', '/api/rules', rule);
      assert.equal(res.status, 201, JSON.stringify(res.json));
    }
  });
  after(async () => {
    await Promise.all([source.close(), target.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  describe('validate', () => {
    it('prints OK with counts for a valid YAML file', async () => {
      const file = join(dir, 'ok.yaml');
      await writeFile(file, VALID_YAML);
      const run = await runCli(['rules', 'validate', file]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(
        run.stdout,
        `${file}: OK, 2 rules for 1 merchant (${PAY} 1, alipay.acquire.overseas.query 1)\n`,
      );
    });

    it('prints each YAML problem as file:line:col: path: message and exits 1', async () => {
      const file = join(dir, 'bad.yaml');
      await writeFile(
        file,
        VALID_YAML.replace('value: "12.34"', 'value: 12.34').replace('fixed, ms: 10', 'fixed, ms: -1'),
      );
      const run = await runCli(['rules', 'validate', file]);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      const lines = run.stderr.trimEnd().split('\n');
      assert.match(
        lines[0] ?? '',
        new RegExp(`^${file}:7:50: rules\\[0\\]\\.when\\[0\\]\\.value: .*"12\\.34"`),
      );
      assert.match(lines[1] ?? '', new RegExp(`^${file}:13:66: rules\\[1\\]\\.then\\.delay\\.ms: .*>=0`));
      assert.equal(lines[2], `${file}: 2 errors`);
    });

    it('locates JSON problems the same way', async () => {
      const file = join(dir, 'bad.json');
      const json = {
        version: 1,
        rules: [
          {
            id: 'x',
            partner: DEMO,
            service: PAY,
            name: 'n',
            then: { type: 'fault', fault: 'hang', delay: {} },
          },
        ],
      };
      await writeFile(file, JSON.stringify(json, null, 2));
      const run = await runCli(['rules', 'validate', file]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, new RegExp(`^${file}:12:18: rules\\[0\\]\\.then\\.delay\\.type: `));
    });
  });

  describe('export and import', () => {
    it('export → import gives the target the same rules, in the same precedence order', async () => {
      const exported = await runCli(['rules', 'export', '--gateway', source.url]);
      assert.equal(exported.code, 0, exported.stderr);
      assert.match(exported.stdout, /^# alipay-mock rules exported from http/);
      const file = join(dir, 'exported.yaml');
      await writeFile(file, exported.stdout);
      assert.equal((await runCli(['rules', 'validate', file])).code, 0);

      const imported = await runCli(['rules', 'import', file, '--gateway', target.url, '--token', TOKEN]);
      assert.equal(imported.code, 0, imported.stderr);
      assert.match(imported.stdout, /: 6 created, 0 replaced, 0 unchanged\n$/);
      assert.deepEqual(await definitions(target.url, TOKEN), await definitions(source.url));
    });

    it('a JSON export of one partner imports again as unchanged', async () => {
      const exported = await runCli([
        'rules',
        'export',
        '--gateway',
        `${source.url}/gateway.do`,
        '--partner',
        HK,
        '--format',
        'json',
      ]);
      assert.equal(exported.code, 0, exported.stderr);
      const file = join(dir, 'hk.json');
      await writeFile(file, exported.stdout);
      const parsed = JSON.parse(exported.stdout) as { rules: Array<{ id: string }> };
      assert.deepEqual(
        parsed.rules.map((r) => r.id),
        ['hk-all'],
      );
      const again = await runCli(['rules', 'import', file, '--gateway', target.url, '--token', TOKEN]);
      assert.match(again.stdout, /: 0 created, 0 replaced, 1 unchanged\n$/);
    });

    it('import replaces changed rules by id; --replace deletes the partner rules the file does not name', async () => {
      const file = join(dir, 'replace.yaml');
      await writeFile(file, VALID_YAML);
      const run = await runCli([
        'rules',
        'import',
        file,
        '--gateway',
        target.url,
        '--token',
        TOKEN,
        '--replace',
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /: 1 created, 1 replaced, 0 unchanged, 4 deleted\n$/);
      const ids = (await definitions(target.url, TOKEN)).map((r) => (r as { id: string }).id).sort();
      assert.deepEqual(ids, ['decline-1234', 'hk-all', 'slow-queries']);
    });

    it('an invalid file is refused before anything is sent', async () => {
      const file = join(dir, 'invalid.yaml');
      await writeFile(file, VALID_YAML.replace('id: slow-queries', 'id: decline-1234'));
      const before = await definitions(target.url, TOKEN);
      const run = await runCli(['rules', 'import', file, '--gateway', target.url, '--token', TOKEN]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /invalid\.yaml:9:9: rules\[1\]\.id: id "decline-1234" is used twice/);
      assert.deepEqual(await definitions(target.url, TOKEN), before);
    });

    it('without the token the admin API refuses, and the command says so', async () => {
      const run = await runCli(['rules', 'export', '--gateway', target.url]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /GET \/api\/rules: .*\(HTTP 401\)/);
    });

    it('an unreachable sandbox is reported, not thrown', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      const run = await runCli(['rules', 'export', '--gateway', `http://127.0.0.1:${port}`]);
      assert.equal(run.code, 1);
      assert.match(
        run.stderr,
        new RegExp(`cannot reach the admin API at http://127.0.0.1:${port}: ECONNREFUSED`),
      );
    });
  });
});
