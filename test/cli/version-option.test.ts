// `alipay-mock --version` prints the version of the package it belongs to.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { runCli } from '../helpers/run-cli.js';

/** The version in the repository's package.json (dist/test/cli → the repository root). */
async function versionInPackageJson(): Promise<string> {
  const text = await readFile(new URL('../../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

describe('alipay-mock --version', () => {
  it('prints the package version alone, and -V does the same', async () => {
    const expected = await versionInPackageJson();
    assert.match(expected, /^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, `${expected}\n`);
    }
  });
});
