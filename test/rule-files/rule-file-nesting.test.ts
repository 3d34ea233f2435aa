import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { consoleRequest, signIn } from '../helpers/console-client.js';
import { runCli } from '../helpers/run-cli.js';
import { failingServe } from '../helpers/serve-process.js';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';

const DEEP = 100_000;
/** 200 KB of nested JSON arrays inside an otherwise valid rule file. */
const NESTED_JSON = `{"version":1,"rules":${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`;
/** 200 KB of nested YAML block sequences on one line (`- - - …`), which the YAML parser recurses into. */
const NESTED_YAML = `version: 1\nrules:\n${'- '.repeat(DEEP)}x\n`;
const REFUSED = 'nested deeper than 32 levels (a rule file needs about 8): refused before parsing';

describe('deeply nested rule files are refused before parsing', () => {
  let dir: string;
  let app: TestApp;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alipay-mock-nesting-'));
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('rules validate names the place', async () => {
    const file = join(dir, 'nested.json');
    await writeFile(file, NESTED_JSON);
    const run = await runCli(['rules', 'validate', file]);
    assert.equal(run.code, 1);
    assert.match(run.stderr + run.stdout, new RegExp(`nested\\.json:1:53: \\(syntax\\): ${escape(REFUSED)}`));
  });

  it('serve --rules does not start, naming the place', async () => {
    const file = join(dir, 'nested.yaml');
    await writeFile(file, NESTED_YAML);
    const failed = await failingServe(['--rules', file]);
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, new RegExp(`nested\\.yaml:3:1: \\(syntax\\): ${escape(REFUSED)}`));
  });

  it('the console import shows the located problem next to the file', async () => {
    const session = await signIn(app.url, 'demo@alipay-mock.test', 'sandbox123');
    const res = await consoleRequest(app.url, `/m/${DEMO_MERCHANT.partner}/rules/import`, {
      cookie: session.cookie,
      form: { _csrf: session.csrf, file: NESTED_YAML },
    });
    assert.equal(res.status, 400, 'the import is refused');
    assert.ok(res.text.includes(`line 3, column 1: (syntax): ${REFUSED}`), 'the problem is shown');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
