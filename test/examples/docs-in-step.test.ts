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

/** The `docs:begin NAME` … `docs:end` regions of a file (comment markers of any language). */
function docRegions(text: string): Map<string, string> {
  const regions = new Map<string, string>();
  for (const m of text.matchAll(
    /^[ \t]*(?:#|\/\/) docs:begin (\S+)\n([\s\S]*?)^[ \t]*(?:#|\/\/) docs:end$/gm,
  )) {
    regions.set(m[1] ?? '', m[2] ?? '');
  }
  return regions;
}

test('docs/integrations.md shows every marked region of examples/ exactly', async () => {
  const docs = await readFile(fileURLToPath(new URL('docs/integrations.md', root)), 'utf8');
  const files = [
    'examples/python/sandbox.py',
    'examples/python/test_checkout.py',
    'examples/php/sandbox.php',
  ];
  files.push('examples/php/checkout-test.php');
  let seen = 0;
  for (const file of files) {
    const regions = docRegions(await readFile(fileURLToPath(new URL(file, root)), 'utf8'));
    assert.ok(regions.size > 0, `${file} marks what docs/integrations.md shows`);
    for (const [name, code] of regions) {
      seen += 1;
      // Each region is a fenced block of its own in the guide, so a copied sample runs as it is.
      assert.ok(
        docs.includes(`\n${code}\`\`\``),
        `${file}: region ${name} is not in docs/integrations.md as is`,
      );
    }
  }
  assert.ok(seen >= 10, `only ${seen} regions`);
});
