// The bench watches how long the SQLite request log's entries take to become visible (bench/log-lag.ts),
// through a reader of its own as another instance reads the journal, and the table says whether
// the largest lag kept within the bound docs/deployment.md gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable } from '../../bench/format-table.js';
import { watchLogLag } from '../../bench/log-lag.js';
import type { ScenarioResult } from '../../bench/scenario-result.js';
import { openStore } from '../../src/storage/open-store.js';
import { requestLogLocation } from '../../src/storage/request-log-thread.js';
import { scenarioResult } from '../helpers/scenario-results.js';
import { aRequestLogEntry } from '../helpers/store-builders.js';

test('the watch times each entry that appears from the moment it was received', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'alipay-mock-log-lag-'));
  try {
    const file = join(dir, 'x.db');
    const store = await openStore(`sqlite:${file}`);
    // Visible before the watch starts: not timed, however old.
    await store.appendRequestLog([aRequestLogEntry({ receivedAt: new Date(Date.now() - 60_000) })]);
    const watch = watchLogLag(requestLogLocation(file), 10);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Received 400 ms ago, visible now.
    await store.appendRequestLog([aRequestLogEntry({ receivedAt: new Date(Date.now() - 400) })]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lag = watch.stop();
    await store.close();
    assert.ok(lag !== undefined, 'the watch saw the entry appear');
    assert.equal(lag.polls, 1, 'one poll found new entries; the others found none and time nothing');
    assert.ok(lag.maxMs >= 400 && lag.maxMs < 5_000, `max lag ${lag.maxMs} ms`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** A round of scenario `id` whose log lagged at most `maxMs` (undefined: no watch, as for the baseline). */
function result(id: string, maxMs: number | undefined): ScenarioResult {
  const logLag = maxMs === undefined ? undefined : { p99Ms: maxMs, maxMs, polls: 100 };
  return scenarioResult(id, 10_000, 0.5, { logLag });
}

test('the table gives the largest lag of each scenario over its rounds against the 250 ms bound', () => {
  const within = formatTable([
    [result('a', undefined), result('b', 90)],
    [result('a', undefined), result('b', 120)],
  ]);
  assert.match(within, /^request log lag, the most over the rounds: b 120 ms {3}bound 250 ms {3}met$/m);
  const beyond = formatTable([[result('a', undefined), result('b', 90), result('d', 360)]]);
  assert.match(
    beyond,
    /^request log lag, the most over the rounds: b 90 ms, d 360 ms {3}bound 250 ms {3}EXCEEDED$/m,
  );
  assert.doesNotMatch(formatTable([[result('a', undefined)]]), /request log lag/);
});
