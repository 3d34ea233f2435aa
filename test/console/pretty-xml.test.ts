import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { prettyXml } from '../../src/console/pretty-xml.js';

describe('prettyXml', () => {
  test('indents elements two spaces a level and keeps an element holding only text on one line', () => {
    const xml =
      '<?xml version="1.0" encoding="GBK"?><alipay><is_success>T</is_success><request>' +
      '<param name="service">alipay.acquire.overseas.query</param><param name="memo"></param></request>' +
      '<sign_type>MD5</sign_type></alipay>';
    assert.equal(
      prettyXml(xml),
      [
        '<?xml version="1.0" encoding="GBK"?>',
        '<alipay>',
        '  <is_success>T</is_success>',
        '  <request>',
        '    <param name="service">alipay.acquire.overseas.query</param>',
        '    <param name="memo"></param>',
        '  </request>',
        '  <sign_type>MD5</sign_type>',
        '</alipay>',
      ].join('\n'),
    );
  });

  test('keeps text and entities as written, and self-closing elements and comments on their own line', () => {
    const xml = '<a><b>x &lt;script&gt; &amp; y</b><c/><!-- note --></a>';
    assert.equal(prettyXml(xml), '<a>\n  <b>x &lt;script&gt; &amp; y</b>\n  <c/>\n  <!-- note -->\n</a>');
  });

  test('re-indents XML that already has whitespace between its tags', () => {
    assert.equal(prettyXml('<a>\n\t<b>1</b>\n</a>\n'), '<a>\n  <b>1</b>\n</a>');
  });

  test('gives up on what is not XML whose elements close in order', () => {
    assert.equal(prettyXml('<html><body>502 Bad Gateway<hr><center>nginx</center></body></html>'), null);
    assert.equal(prettyXml('<alipay><is_success>T</alipay>'), null);
    assert.equal(prettyXml('<alipay><is_success>T</is_success>'), null);
    assert.equal(prettyXml('\u0000\u00ff garbage <'), null);
    assert.equal(prettyXml('<a>1 < 2</a>'), null);
    assert.equal(prettyXml(''), null);
    assert.equal(prettyXml('true'), null);
  });
});
