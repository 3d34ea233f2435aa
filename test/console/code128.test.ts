import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CODE128_PATTERNS, code128Svg, code128Values, code128Widths } from '../../src/console/code128.js';

test('every Code 128 symbol is 11 modules with an even bar sum, the stop 13', () => {
  assert.equal(CODE128_PATTERNS.length, 107);
  CODE128_PATTERNS.forEach((p, value) => {
    const widths = [...p].map(Number);
    const bars = widths.filter((_w, i) => i % 2 === 0).reduce((a, b) => a + b, 0);
    assert.equal(
      widths.reduce((a, b) => a + b, 0),
      value === 106 ? 13 : 11,
      `symbol ${value}`,
    );
    if (value !== 106) assert.equal(bars % 2, 0, `symbol ${value} bar sum`);
  });
  assert.equal(new Set(CODE128_PATTERNS).size, 107, 'no two symbols alike');
});

test('an even run of digits is encoded in code set C, two digits a symbol, with the check symbol', () => {
  // Start C 105, then 28 11 11 11 11 11 11 11 11; check = (105 + 28·1 + 11·(2+…+9)) mod 103 = 617 mod 103.
  assert.deepEqual(code128Values('281111111111111111'), [105, 28, 11, 11, 11, 11, 11, 11, 11, 11, 102, 106]);
});

test('other text is encoded in code set B (the worked example PJJ123C has check symbol 55)', () => {
  // 104 + 48·1 + 42·2 + 42·3 + 17·4 + 18·5 + 19·6 + 35·7 = 879 = 8·103 + 55
  assert.deepEqual(code128Values('PJJ123C'), [104, 48, 42, 42, 17, 18, 19, 35, 55, 106]);
  assert.throws(() => code128Values('naïve'), RangeError);
  assert.throws(() => code128Values(''), RangeError);
});

test('the widths start with start C and end with the stop pattern', () => {
  const widths = code128Widths('282222222222222222');
  assert.deepEqual(widths.slice(0, 6), [2, 1, 1, 2, 3, 2]);
  assert.deepEqual(widths.slice(-7), [2, 3, 3, 1, 1, 1, 2]);
  // 9 data symbols + start + check = 11 symbols of 11 modules, and the 13-module stop.
  assert.equal(
    widths.reduce((a, b) => a + b, 0),
    11 * 11 + 13,
  );
});

test('the SVG draws one rect per bar inside quiet zones and escapes its label', () => {
  const svg = code128Svg('281111111111111111', { label: 'code <1> & "2"' });
  const bars = code128Widths('281111111111111111').filter((_w, i) => i % 2 === 0).length;
  assert.equal((svg.match(/<rect x=/g) ?? []).length, bars);
  assert.match(svg, /viewBox="0 0 154 60"/);
  assert.match(svg, /<rect x="10" y="0" width="2"/);
  assert.match(svg, /aria-label="code &#60;1&#62; &#38; &#34;2&#34;"/);
});
