import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCli } from '../helpers/run-cli.js';

test('serve on a port that is taken says so and how to choose another, and exits 1', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = taken.address() as AddressInfo;
    const run = await runCli(['serve', '--port', String(port), '--db', 'sqlite::memory:']);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      new RegExp(`127\\.0\\.0\\.1:${port} is already in use .*--port or ALIPAY_MOCK_PORT`),
    );
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
});

test('serve with an unreachable store names the store without its password, and exits 1', async () => {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  const run = await runCli(['serve', '--port', '0', '--db', 'postgres://app:s3cret@127.0.0.1:1/sandbox']);
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /cannot open the store postgres:\/\/\*\*\*@127\.0\.0\.1:1\/sandbox: .*ECONNREFUSED/,
  );
  assert.doesNotMatch(run.stderr, /s3cret/);
});
