// The request log's row forms: entryToRow, and the rows (REQUEST_LOG_COLUMNS order) the SQLite log's worker receives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entryToRow, REQUEST_LOG_COLUMNS } from '../../src/storage/request-log-queries.js';
import { aRequestLogEntry } from '../helpers/store-builders.js';

test('REQUEST_LOG_COLUMNS names every column entryToRow fills, so the rows the log worker gets lack none', () => {
  const row = entryToRow(aRequestLogEntry());
  assert.deepEqual([...REQUEST_LOG_COLUMNS].sort(), Object.keys(row).sort());
});
