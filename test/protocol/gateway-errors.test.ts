import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GATEWAY_ERROR_CODES, GATEWAY_ERROR_DESCRIPTIONS } from '../../src/protocol/gateway-errors.js';

test('gateway error codes are the 29 codes of protocol.md §9.6, without duplicates', () => {
  assert.equal(GATEWAY_ERROR_CODES.length, 29);
  assert.equal(new Set(GATEWAY_ERROR_CODES).size, 29);
  for (const code of ['ILLEGAL_SIGN', 'ILLEGAL_PARTNER', 'INVALID_CHARACTER_SET', 'SYSTEM_ERROR']) {
    assert.ok((GATEWAY_ERROR_CODES as readonly string[]).includes(code), code);
  }
});

test('every gateway error code has a one-line description', () => {
  assert.deepEqual(Object.keys(GATEWAY_ERROR_DESCRIPTIONS).sort(), [...GATEWAY_ERROR_CODES].sort());
  for (const code of GATEWAY_ERROR_CODES) {
    const text = GATEWAY_ERROR_DESCRIPTIONS[code];
    assert.ok(text.length > 0 && !text.includes('\n'), code);
  }
});
