import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { api } from '../helpers/admin-call.js';
import { runCli } from '../helpers/run-cli.js';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false });
const DEPRECATED = /--gateway-url is deprecated; use --gateway/;

describe('one gateway option for every command, and call --format', () => {
  let app: TestApp;
  let dir: string;
  before(async () => {
    app = await startTestApp();
    dir = await mkdtemp(join(tmpdir(), 'alipay-mock-cli-'));
  });
  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('call reaches the gateway named by ALIPAY_MOCK_GATEWAY, and --gateway wins over it', async () => {
    const viaEnv = await runCli(['call', 'pay'], { ALIPAY_MOCK_GATEWAY: `${app.url}/gateway.do` });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.match(viaEnv.stdout, /result_code: SUCCESS \| response signature: verified/);
    // Port 1 on loopback refuses at once: the flag, not the environment, was used.
    const flagWins = await runCli(['call', 'pay', '--gateway', `${app.url}/gateway.do`], {
      ALIPAY_MOCK_GATEWAY: 'http://127.0.0.1:1/gateway.do',
    });
    assert.equal(flagWins.code, 0, flagWins.stderr);
    const envUsed = await runCli(['call', 'pay'], { ALIPAY_MOCK_GATEWAY: 'http://127.0.0.1:1/gateway.do' });
    assert.equal(envUsed.code, 1);
    assert.match(envUsed.stderr, /no answer \(network\)/);
  });

  it('rules export and import take --gateway (a gateway URL too) and ALIPAY_MOCK_GATEWAY', async () => {
    const created = await api(app.url, 'POST', '/api/rules', {
      partner: DEMO_MERCHANT.partner,
      service: 'alipay.acquire.overseas.spot.pay',
      name: 'cli gateway option',
      when: [{ field: 'trans_amount', op: 'eq', value: '77.77' }],
      then: { type: 'business', result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const flagged = await runCli([
      'rules',
      'export',
      '--gateway',
      `${app.url}/gateway.do`,
      '--format',
      'json',
    ]);
    assert.equal(flagged.code, 0, flagged.stderr);
    assert.match(flagged.stdout, /cli gateway option/);
    const viaEnv = await runCli(['rules', 'export'], { ALIPAY_MOCK_GATEWAY: app.url });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.match(viaEnv.stdout, /cli gateway option/);

    const file = join(dir, 'rules.json');
    await writeFile(file, flagged.stdout);
    const imported = await runCli(['rules', 'import', file], { ALIPAY_MOCK_GATEWAY: app.url });
    assert.equal(imported.code, 0, imported.stderr);
    const bad = await runCli(['rules', 'export', '--gateway', 'ftp://nowhere']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--gateway must be http:\/\/ or https:\/\//);
  });

  it('still accepts --gateway-url, hidden from the help, with a warning on stderr only', async () => {
    const old = await runCli(['rules', 'export', '--gateway-url', app.url]);
    assert.equal(old.code, 0, old.stderr);
    assert.match(old.stdout, /^# alipay-mock rules exported from/);
    assert.match(old.stderr, DEPRECATED);
    const oldCall = await runCli([
      'call',
      'query',
      'partner_trans_id=X',
      '--gateway-url',
      `${app.url}/gateway.do`,
    ]);
    assert.equal(oldCall.code, 0, oldCall.stderr);
    assert.match(oldCall.stdout, /TRADE_NOT_EXIST/);
    assert.match(oldCall.stderr, DEPRECATED);
    for (const command of [['call'], ['rules', 'export'], ['rules', 'import'], ['keys', 'check']]) {
      const help = await runCli([...command, '--help']);
      assert.match(help.stdout, /--gateway <url>[\s\S]*ALIPAY_MOCK_GATEWAY/, command.join(' '));
      assert.doesNotMatch(help.stdout, /--gateway-url/, command.join(' '));
    }
  });

  it('keys check: --gateway needs --partner, and --partner finds the gateway in the environment', async () => {
    const keys = await runCli(['keys', 'generate', '--out-dir', dir, '--force']);
    assert.equal(keys.code, 0, keys.stderr);
    const pair = ['--private', join(dir, 'private.pem'), '--public', join(dir, 'public.pem')];
    const alone = await runCli(['keys', 'check', ...pair, '--gateway', app.url]);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /--gateway needs --partner/);
    const noGateway = await runCli(['keys', 'check', ...pair, '--partner', DEMO_MERCHANT.partner]);
    assert.equal(noGateway.code, 2);
    assert.match(noGateway.stderr, /--partner needs a gateway: --gateway <url> or ALIPAY_MOCK_GATEWAY/);
    const viaEnv = await runCli(['keys', 'check', ...pair, '--partner', DEMO_MERCHANT.partner], {
      ALIPAY_MOCK_GATEWAY: app.url,
    });
    // The demo merchant has no RSA key uploaded: the gateway was asked, and said so.
    assert.equal(viaEnv.code, 1);
    assert.match(
      viaEnv.stdout + viaEnv.stderr,
      /the gateway refused the signed request: ILLEGAL_SECURITY_PROFILE/,
    );
    // Without --partner the environment is not used: the check stays offline.
    const offline = await runCli(['keys', 'check', ...pair], { ALIPAY_MOCK_GATEWAY: 'http://127.0.0.1:1' });
    assert.equal(offline.code, 0, offline.stdout + offline.stderr);
  });

  it('call --format pretty indents the same XML; --format json prints the parsed fields', async () => {
    const gateway = `${app.url}/gateway.do`;
    const id = `FMT${Date.now()}`;
    const query = (...more: string[]) =>
      runCli(['call', 'query', `partner_trans_id=${id}`, '--gateway', gateway, ...more]);
    const plain = await runCli(['call', 'pay', `partner_trans_id=${id}`, '--gateway', gateway]);
    const pretty = await query('--format', 'pretty');
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(pretty.code, 0, pretty.stderr);
    const prettyLines = pretty.stdout.trimEnd().split('\n');
    const summary = prettyLines.pop();
    assert.equal(summary, 'result_code: SUCCESS | response signature: verified');
    assert.match(
      prettyLines.join('\n'),
      /^<\?xml[^\n]*\?>\n<alipay>\n {2}<is_success>T<\/is_success>\n {2}<request>\n {4}<param name="/,
    );
    assert.ok(prettyLines.includes('      <alipay_trans_status>TRADE_SUCCESS</alipay_trans_status>'));
    // The indented XML says what the plain XML of the same answer says.
    const plainQuery = await query();
    assert.deepEqual(
      parser.parse(prettyLines.join('\n').replace(/\n\s*/g, '')),
      parser.parse(plainQuery.stdout.split('\n')[0] ?? ''),
    );

    const json = await query('--format', 'json');
    assert.equal(json.code, 0, json.stderr);
    const answer = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.equal(answer['isSuccess'], 'T');
    assert.equal(answer['resultCode'], 'SUCCESS');
    assert.equal(answer['signatureVerified'], true);
    const fields = answer['fields'] as Record<string, string>;
    assert.equal(fields['partner_trans_id'], id);
    assert.equal(fields['alipay_trans_status'], 'TRADE_SUCCESS');
    assert.equal((answer['request'] as Record<string, string>)['partner_trans_id'], id);

    const refused = await runCli([
      'call',
      'query',
      'partner_trans_id=X',
      '--gateway',
      gateway,
      '--format',
      'json',
      '--key',
      'x'.repeat(32),
    ]);
    assert.equal(refused.code, 0, refused.stderr);
    assert.deepEqual(
      { ...(JSON.parse(refused.stdout) as Record<string, unknown>), request: undefined },
      { isSuccess: 'F', error: 'ILLEGAL_SIGN', request: undefined },
    );
    const wrong = await runCli(['call', 'pay', '--gateway', gateway, '--format', 'yaml']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--format/);
  });
});
