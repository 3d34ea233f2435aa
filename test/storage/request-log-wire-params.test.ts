/**
 * The SQLite journal keeps an entry whose parameters are its raw texts decoded (paramsFromWire)
 * without them and without its string to sign, and rebuilds both when the entry is read: every
 * convention, GBK and UTF-8, query and body, comes back as the gateway had it.
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import iconv from 'iconv-lite';
import type { Charset } from '../../src/protocol/constants.js';
import { decodeParams, wireParams } from '../../src/protocol/form-decode.js';
import { md5Sign } from '../../src/protocol/sign.js';
import { signStringOf, verifyRequestSignature } from '../../src/protocol/verify-request.js';
import type { NewRequestLogEntry } from '../../src/ports/request-log.js';
import { openStore } from '../../src/storage/open-store.js';
import { aRequestLogEntry } from '../helpers/store-builders.js';
import { tempSqlitePath } from '../helpers/store-matrix.js';

const KEY = 'k'.repeat(32);
const PARTNER = '2088000000000301';

/** Percent-encodes text in the charset, byte by byte, as a client would put it on the wire. */
function wire(text: string, charset: Charset): string {
  const bytes = charset === 'GBK' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
  return [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

/** A log entry as the gateway makes it: the raw texts, their parameters decoded, the signature checked. */
function gatewayEntry(rawQuery: string, rawBody: string, charset: Charset, sign: string): NewRequestLogEntry {
  const raw = wireParams(rawQuery, rawBody);
  assert.ok(raw.ok);
  const params = decodeParams(raw.params, charset);
  const signature = verifyRequestSignature({ params, signType: 'MD5', sign, charset, md5Key: KEY });
  return aRequestLogEntry({
    partner: PARTNER,
    method: rawBody === '' ? 'GET' : 'POST',
    rawQuery,
    rawBody,
    params,
    charset,
    signature,
    paramsFromWire: true,
  });
}

/** The signature a client computes over these parameters with the convention given. */
function signed(params: string, charset: Charset, convention: 'drop-empty' | 'keep-empty'): string {
  const raw = wireParams(params, '');
  assert.ok(raw.ok);
  return md5Sign(signStringOf(decodeParams(raw.params, charset), convention), KEY, charset);
}

describe('request log entries kept as their raw texts (SQLite journal)', () => {
  it('reads back the parameters and the string to sign of every convention, GBK and UTF-8', async () => {
    const file = await tempSqlitePath();
    const store = await openStore(`sqlite:${file.path}`);
    try {
      const gbkQuery = `service=alipay.acquire.overseas.query&partner=${PARTNER}&trans_name=${wire('测试 商品+1', 'GBK')}&_input_charset=GBK`;
      const utf8Query = `service=alipay.acquire.overseas.query&partner=${PARTNER}&memo=${wire('café ☕', 'UTF-8')}&_input_charset=UTF-8`;
      const emptyQuery = `service=alipay.acquire.overseas.query&partner=${PARTNER}&memo=&_input_charset=GBK`;
      const entries = [
        gatewayEntry(
          `${gbkQuery}&sign=${signed(gbkQuery, 'GBK', 'drop-empty')}&sign_type=MD5`,
          '',
          'GBK',
          signed(gbkQuery, 'GBK', 'drop-empty'),
        ),
        gatewayEntry(
          `${utf8Query}&sign_type=MD5`,
          `sign=${signed(utf8Query, 'UTF-8', 'drop-empty')}`,
          'UTF-8',
          signed(utf8Query, 'UTF-8', 'drop-empty'),
        ),
        gatewayEntry(`${emptyQuery}&sign_type=MD5`, '', 'GBK', signed(emptyQuery, 'GBK', 'keep-empty')),
        // Only the body is signed: a Node client leaving _input_charset unsigned in the URL.
        gatewayEntry(
          '_input_charset=GBK',
          `service=alipay.acquire.overseas.query&partner=${PARTNER}&sign_type=MD5&sign=${signed(`service=alipay.acquire.overseas.query&partner=${PARTNER}`, 'GBK', 'drop-empty')}`,
          'GBK',
          signed(`service=alipay.acquire.overseas.query&partner=${PARTNER}`, 'GBK', 'drop-empty'),
        ),
        gatewayEntry(`${gbkQuery}&sign=${'0'.repeat(32)}&sign_type=MD5`, '', 'GBK', '0'.repeat(32)),
      ];
      assert.deepEqual(
        entries.map((e) => e.signature?.convention),
        ['drop-empty', 'drop-empty', 'keep-empty', 'body-only', null],
      );
      assert.ok(entries[0]?.params.some((p) => p.value === '测试 商品+1'));
      await store.appendRequestLog(entries);

      const read = (await store.listRequestLog({ partner: PARTNER })).reverse();
      assert.equal(read.length, entries.length);
      read.forEach((entry, i) => {
        assert.deepEqual(entry.params, entries[i]?.params, `entry ${i}: parameters`);
        assert.deepEqual(entry.signature, entries[i]?.signature, `entry ${i}: signature`);
        assert.equal(entry.rawQuery, entries[i]?.rawQuery);
        assert.equal(entry.rawBody, entries[i]?.rawBody);
      });
    } finally {
      await store.close();
      await file.remove();
    }
  });

  it('writes fewer bytes for them than for the same entries with their parameters spelled out', async () => {
    const sizes: number[] = [];
    for (const paramsFromWire of [true, false]) {
      const file = await tempSqlitePath();
      const store = await openStore(`sqlite:${file.path}`);
      try {
        const query = `service=alipay.acquire.overseas.query&partner=${PARTNER}&partner_trans_id=${'9'.repeat(20)}&_input_charset=GBK`;
        const entry = {
          ...gatewayEntry(
            `${query}&sign_type=MD5&sign=${signed(query, 'GBK', 'drop-empty')}`,
            '',
            'GBK',
            signed(query, 'GBK', 'drop-empty'),
          ),
          paramsFromWire,
        };
        await store.appendRequestLog(Array.from({ length: 100 }, () => entry));
        const [read] = await store.listRequestLog({ partner: PARTNER, limit: 1 });
        assert.deepEqual(read?.params, entry.params);
        const folder = `${file.path}-requests.d`;
        sizes.push(
          readdirSync(folder)
            .filter((name) => name.endsWith('.log'))
            .reduce((sum, name) => sum + statSync(`${folder}/${name}`).size, 0),
        );
      } finally {
        await store.close();
        await file.remove();
      }
    }
    const [compact, full] = sizes as [number, number];
    assert.ok(compact < full * 0.8, `journal ${compact} bytes with the raw texts alone, ${full} spelled out`);
  });
});
