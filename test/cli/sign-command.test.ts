import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';

// docs/reference/alipay-mapi-protocol.md §9.3: PID 1000000000000000, MD5 key '1' followed by 31 zeros.
const VECTOR_KEY = `1${'0'.repeat(31)}`;
const QUERY_VECTOR = [
  '_input_charset=utf-8',
  'partner=1000000000000000',
  'partner_trans_id=2010121000000002',
  'service=alipay.acquire.overseas.query',
];
const QUERY_SIGN = '2a7f598bbb13d02f7de819ae689f80ba';

/** The `label  value` lines the sign command prints, by label. */
function linesOf(stdout: string): Record<string, string> {
  return Object.fromEntries(
    stdout
      .trimEnd()
      .split('\n')
      .map((line) => [line.slice(0, 16).trim(), line.slice(16)]),
  );
}

describe('alipay-mock sign', () => {
  it('reproduces the §9.3 query vector: string to sign, signature, signed query', async () => {
    const run = await runCli(['sign', ...QUERY_VECTOR, '--key', VECTOR_KEY]);
    assert.equal(run.code, 0, run.stderr);
    const out = linesOf(run.stdout);
    assert.equal(out['string to sign'], QUERY_VECTOR.join('&'));
    assert.equal(out['sign'], QUERY_SIGN);
    assert.equal(out['sign_type'], 'MD5');
    assert.equal(out['signed query'], `${QUERY_VECTOR.join('&')}&sign=${QUERY_SIGN}&sign_type=MD5`);
  });

  it('sorts the parameters whatever order they are given in', async () => {
    const run = await runCli(['sign', ...[...QUERY_VECTOR].reverse(), '--key', VECTOR_KEY]);
    assert.equal(linesOf(run.stdout)['sign'], QUERY_SIGN);
  });

  it('--verify exits 0 for the right signature', async () => {
    const run = await runCli(['sign', ...QUERY_VECTOR, '--key', VECTOR_KEY, '--verify', QUERY_SIGN]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^signature OK \(MD5, UTF-8\)/);
  });

  it('--verify exits 1 for a wrong signature and shows the expected one', async () => {
    const wrong = `${QUERY_SIGN.slice(0, -1)}0`;
    const run = await runCli(['sign', ...QUERY_VECTOR, '--key', VECTOR_KEY, '--verify', wrong]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^signature does NOT match \(MD5, UTF-8\)/);
    assert.match(run.stderr, new RegExp(`expected sign +${QUERY_SIGN}`));
  });

  it('signs with RSA2 from a private key file and verifies that signature', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'alipay-mock-sign-'));
    try {
      const file = join(dir, 'merchant.pem');
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      await writeFile(file, privateKey.export({ type: 'pkcs1', format: 'pem' }));
      const signed = await runCli(['sign', ...QUERY_VECTOR, '--private-key', file]);
      assert.equal(signed.code, 0, signed.stderr);
      const out = linesOf(signed.stdout);
      assert.equal(out['sign_type'], 'RSA2');
      const good = await runCli([
        'sign',
        ...QUERY_VECTOR,
        '--private-key',
        file,
        '--verify',
        out['sign'] ?? '',
      ]);
      assert.equal(good.code, 0, good.stderr);
      const bad = await runCli([
        'sign',
        'partner=other',
        '--private-key',
        file,
        '--verify',
        out['sign'] ?? '',
      ]);
      assert.equal(bad.code, 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('MD5 without --key is a usage error (exit 2)', async () => {
    const run = await runCli(['sign', ...QUERY_VECTOR]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--key/);
  });
});
