// The column encodings shared by every store (src/storage/columns.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseList } from '../../src/storage/columns.js';

test('parseList reads a JSON list column, a fresh array each call', () => {
  const first = parseList<string>('["MD5","RSA"]');
  assert.deepEqual(first, ['MD5', 'RSA']);
  first.push('RSA2');
  assert.deepEqual(
    parseList<string>('["MD5","RSA"]'),
    ['MD5', 'RSA'],
    'a caller changing its list changes no other',
  );
  assert.deepEqual(parseList<string>('[]'), []);
});
