// The sandbox's server runs with the same Node options wherever this project starts it to be used, and
// the bench and the soak measure it with them (bench/bench-settings.ts, docs/deployment.md "Memory").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SANDBOX_NODE_FLAGS } from '../../bench/bench-settings.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');

/** The words of a command line between `node` and the script it runs. */
function flagsBefore(script: string, words: readonly string[]): string[] {
  const at = words.findIndex((w) => w.endsWith(script));
  assert.ok(at > 0, `${script} in ${words.join(' ')}`);
  return words.slice(words.findIndex((w) => w === 'node' || w.endsWith('/node')) + 1, at);
}

describe('Node options of the server', () => {
  it('are the bench’s in npm start, the Dockerfile and the systemd unit of the deployment guide', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['start'];
    assert.deepEqual(flagsBefore('dist/src/cli.js', (start ?? '').split(/\s+/)), SANDBOX_NODE_FLAGS);

    const cmd = read('Dockerfile')
      .split('\n')
      .filter((line) => line.startsWith('CMD ['))
      .at(-1);
    assert.ok(cmd !== undefined, 'the Dockerfile has an exec-form CMD');
    assert.deepEqual(flagsBefore('dist/src/cli.js', JSON.parse(cmd.slice('CMD '.length)) as string[]), [
      ...SANDBOX_NODE_FLAGS,
    ]);

    const execStart = read('docs/deployment.md')
      .split('\n')
      .find((line) => line.startsWith('ExecStart='));
    assert.ok(execStart !== undefined, 'the deployment guide has a systemd unit');
    assert.deepEqual(flagsBefore('/dist/src/cli.js', execStart.slice('ExecStart='.length).split(/\s+/)), [
      ...SANDBOX_NODE_FLAGS,
    ]);
  });
});
