import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// Compiled to dist/test/examples/: the sources are three folders up.
const root = new URL('../../../', import.meta.url);

test('docs/testing.md shows test/examples/checkout.test.ts exactly', async () => {
  const example = await readFile(fileURLToPath(new URL('test/examples/checkout.test.ts', root)), 'utf8');
  const docs = await readFile(fileURLToPath(new URL('docs/testing.md', root)), 'utf8');
  const section = docs.slice(docs.indexOf('## Using alipay-mock from your test suite'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.equal(block, example.trimEnd() + '\n');
});
