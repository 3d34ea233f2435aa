import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { api } from '../helpers/admin-call.js';

describe('alipay-mock keys', () => {
  let dir: string;
  let app: TestApp;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alipay-mock-keys-'));
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  const file = (sub: string, name: string) => join(dir, sub, name);

  it('generate writes PKCS#8 and SPKI PEM and their bare Base64 forms, the private ones private', async () => {
    const run = await runCli(['keys', 'generate', '--out-dir', join(dir, 'a'), '--bits', '1024']);
    assert.equal(run.code, 0, run.stderr);
    const privatePem = await readFile(file('a', 'private.pem'), 'utf8');
    const publicPem = await readFile(file('a', 'public.pem'), 'utf8');
    assert.match(privatePem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(publicPem, /^-----BEGIN PUBLIC KEY-----\n/);
    const privateB64 = (await readFile(file('a', 'private-base64.txt'), 'utf8')).trim();
    const publicB64 = (await readFile(file('a', 'public-base64.txt'), 'utf8')).trim();
    assert.match(publicB64, /^[A-Za-z0-9+/]+=*$/);
    const key = createPrivateKey({ key: Buffer.from(privateB64, 'base64'), format: 'der', type: 'pkcs8' });
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 1024);
    assert.equal(
      createPublicKey({ key: Buffer.from(publicB64, 'base64'), format: 'der', type: 'spki' }).export({
        type: 'spki',
        format: 'pem',
      }),
      publicPem,
    );
    assert.equal((await stat(file('a', 'private.pem'))).mode & 0o777, 0o600);
    assert.match(run.stdout, /wrote .*public-base64\.txt/);
    assert.ok(run.stdout.includes(publicB64), 'prints the public key to upload');
  });

  it('generate refuses to overwrite without --force, and refuses odd sizes', async () => {
    await runCli(['keys', 'generate', '--out-dir', join(dir, 'b'), '--bits', '1024']);
    const again = await runCli(['keys', 'generate', '--out-dir', join(dir, 'b'), '--bits', '1024']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exist.*--force/);
    const forced = await runCli([
      'keys',
      'generate',
      '--out-dir',
      join(dir, 'b'),
      '--bits',
      '1024',
      '--force',
    ]);
    assert.equal(forced.code, 0, forced.stderr);
    const odd = await runCli(['keys', 'generate', '--out-dir', join(dir, 'c'), '--bits', '512']);
    assert.equal(odd.code, 2);
    assert.match(odd.stderr, /--bits/);
  });

  it('check: a pair that belongs together passes, PEM or Base64', async () => {
    const run = await runCli([
      'keys',
      'check',
      '--private',
      file('a', 'private-base64.txt'),
      '--public',
      file('a', 'public.pem'),
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /OK {3}the two keys belong together/);
    assert.match(run.stdout, /an RSA public key the sandbox accepts/);
    assert.match(run.stderr, /1024-bit key; Alipay's gateways expect 2048 bits/);
  });

  it('check: keys of two different pairs, or a file that is no key, fail with exit 1', async () => {
    const mixed = await runCli([
      'keys',
      'check',
      '--private',
      file('a', 'private.pem'),
      '--public',
      file('b', 'public.pem'),
    ]);
    assert.equal(mixed.code, 1);
    assert.match(mixed.stderr, /FAIL the keys do NOT belong together/);
    await writeFile(join(dir, 'junk.pem'), 'not a key');
    const junk = await runCli([
      'keys',
      'check',
      '--private',
      file('a', 'private.pem'),
      '--public',
      join(dir, 'junk.pem'),
    ]);
    assert.equal(junk.code, 1);
    assert.match(junk.stderr, /not an RSA public key/);
  });

  it('check --gateway: the gateway verifies a request signed with the private key', async () => {
    const publicPem = await readFile(file('a', 'public.pem'), 'utf8');
    const partner = '2088000000001234';
    await api(app.url, 'POST', '/api/merchants', { partner, rsaPublicKey: publicPem });
    const ok = await runCli([
      'keys',
      'check',
      '--private',
      file('a', 'private.pem'),
      '--public',
      file('a', 'public.pem'),
      '--gateway',
      app.url,
      '--partner',
      partner,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(
      ok.stdout,
      /the gateway accepts RSA2 signatures of this key for partner 2088000000001234 \(it answered FAIL\/TRADE_NOT_EXIST\)/,
    );

    const other = await runCli([
      'keys',
      'check',
      '--private',
      file('b', 'private.pem'),
      '--public',
      file('b', 'public.pem'),
      '--gateway',
      `${app.url}/gateway.do`,
      '--partner',
      partner,
    ]);
    assert.equal(other.code, 1);
    assert.match(
      other.stderr,
      /ILLEGAL_SIGN \(the public key the gateway has for this partner is not the one of this private key\)/,
    );

    const none = await runCli([
      'keys',
      'check',
      '--private',
      file('a', 'private.pem'),
      '--public',
      file('a', 'public.pem'),
      '--gateway',
      app.url,
      '--partner',
      DEMO_MERCHANT.partner,
    ]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /ILLEGAL_SECURITY_PROFILE \(no RSA public key is uploaded for this partner\)/);
  });

  it('check: --gateway without --partner is a usage error', async () => {
    const run = await runCli([
      'keys',
      'check',
      '--private',
      file('a', 'private.pem'),
      '--public',
      file('a', 'public.pem'),
      '--gateway',
      app.url,
    ]);
    assert.equal(run.code, 2);
  });
});
