// The pre-scan that refuses deeply nested rule files before a parser recurses (rule-file-nesting.ts):
// where it reports the limit passed, across quoted scalars that span lines and comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { excessiveNesting } from '../../src/rule-files/rule-file-nesting.js';

const DEEP = '['.repeat(33);

test('counts the lines of a quoted scalar that spans them', () => {
  const text = `a: "one [\ntwo [[\nthree"\nb: 'x\ny'\nc: ${DEEP}`;
  // Line 6 is `c: [[[…`: the 33rd bracket is at index 3 + 32.
  assert.deepEqual(excessiveNesting(text), { line: 6, column: 36 });
});

test('skips brackets in comments and in quoted scalars, on one long line too', () => {
  assert.equal(excessiveNesting(`# ${DEEP}\nc: "${DEEP}"\nd: '${DEEP}'`), undefined);
  const oneLine = JSON.stringify({
    rules: Array.from({ length: 2_000 }, (_, i) => ({ name: `r${i} ${DEEP}` })),
  });
  assert.equal(excessiveNesting(oneLine), undefined);
  // Two levels are open there (`{"rules":[`): the 31st bracket after `, "x": ` passes the limit.
  assert.deepEqual(excessiveNesting(`${oneLine.slice(0, -2)}, "x": ${DEEP}`), {
    line: 1,
    column: oneLine.length - 2 + 7 + 31,
  });
});

test('counts block indentation and compact indicators with the brackets', () => {
  // Line 2 opens at block depth 2 (`  - `), so the 31st bracket passes the limit.
  assert.deepEqual(excessiveNesting(`a:\n  - ${'['.repeat(31)}`), { line: 2, column: 5 + 30 });
  assert.equal(excessiveNesting(`a:\n  - ${'['.repeat(30)}`), undefined);
});
