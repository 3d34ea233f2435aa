import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { spawnSandbox } from '../helpers/sandbox-process.js';
import { CLI_PATH } from '../helpers/run-cli.js';
import { DEMO_CONSOLE_LOGINS } from '../../src/demo-accounts.js';
import { prettyLogLine } from '../../src/ops/pretty-log-stream.js';

describe('serve: the banner on stdout, the log on stderr', () => {
  it('prints the console URL and the demo logins, and keeps the JSON log lines out of the banner', async () => {
    const sandbox = await spawnSandbox(['--db', 'sqlite::memory:', '--log-level', 'info']);
    try {
      const console = await fetch(`${sandbox.url}/login`);
      assert.equal(console.status, 200, 'the console answers where the banner says');
      const out = sandbox.stdout();
      assert.match(out, new RegExp(`^  console    ${sandbox.url}/ \\(operator: empty token`, 'm'));
      for (const login of DEMO_CONSOLE_LOGINS) assert.ok(out.includes(`${login.email} / ${login.password}`));
      assert.deepEqual(
        out.split('\n').filter((l) => l.startsWith('{')),
        [],
        'no log line on stdout',
      );
      // Not a TTY: the log stays JSON, one object a line, for a log collector.
      const logged = sandbox.logLines().map((l) => l['msg']);
      assert.ok(
        logged.some((m) => String(m).startsWith('Server listening at')),
        String(logged),
      );
    } finally {
      await sandbox.terminate();
    }
  });

  it('does not offer the demo logins when the demo accounts are not created', async () => {
    const sandbox = await spawnSandbox([
      '--db',
      'sqlite::memory:',
      '--no-seed-demo',
      '--admin-token',
      'banner-t0ken',
    ]);
    try {
      assert.doesNotMatch(sandbox.stdout(), /sandbox123/);
      assert.match(sandbox.stdout(), /console {4}\S+\/ \(operator: the admin token\)/);
    } finally {
      await sandbox.terminate();
    }
  });

  const script = spawnSync('script', ['--version']).status === 0;
  it(
    'writes readable log lines when stderr is a terminal',
    { skip: script ? false : 'needs script(1) (util-linux) to give the sandbox a terminal' },
    async () => {
      const command = `'${process.execPath}' '${CLI_PATH}' serve --port 0 --db sqlite::memory:`;
      const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'ignore'] });
      let text = '';
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no banner within 30 s:\n${text}`)), 30_000);
          child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
            text += chunk;
            if (/Demo console logins:[\s\S]*Demo HK Shop/.test(text)) {
              clearTimeout(timer);
              resolve();
            }
          });
        });
      } finally {
        child.kill('SIGKILL');
      }
      const lines = text.split(/\r?\n/);
      assert.ok(
        lines.some((l) => /^\d\d:\d\d:\d\d\.\d{3} INFO {2}Server listening at http:\/\//.test(l)),
        text,
      );
      assert.deepEqual(
        lines.filter((l) => l.startsWith('{')),
        [],
      );
    },
  );

  it('formats a log line with its fields and an error stack, and passes other text on', () => {
    const line = JSON.stringify({
      level: 50,
      time: Date.UTC(2026, 10, 26, 4, 5, 6, 789),
      pid: 1,
      hostname: 'h',
      reqId: 'ab12cd-1',
      note: 'two words',
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' },
      msg: 'gateway request failed',
    });
    assert.equal(
      prettyLogLine(line),
      '04:05:06.789 ERROR gateway request failed reqId=ab12cd-1 note="two words"\n  Error: boom\n      at x',
    );
    assert.equal(prettyLogLine('not json'), 'not json');
    assert.equal(prettyLogLine('[1,2]'), '[1,2]');
  });
});
