import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { NewRequestLogEntry } from '../../../src/ports/request-log.js';
import type { RequestLogEntry } from '../../../src/ports/request-log.js';
import { aRequestLogEntry } from '../../helpers/store-builders.js';
import type { ContractContext } from './context.js';

const ids = (list: RequestLogEntry[]) => list.map((e) => e.id);
const at = (second: number) => new Date(Date.UTC(2026, 10, 26, 4, 0, second));

/** The request log: append in batches, list newest first with filters, count, page, prune. */
export function requestLogContract(ctx: ContractContext): void {
  it('numbers appended entries in order and round-trips every field', async () => {
    const first = aRequestLogEntry({
      partner: null,
      service: null,
      method: 'GET',
      rawQuery: '_input_charset=gbk&sign=%E4',
      charset: null,
      signature: null,
      gatewayError: 'ILLEGAL_PARTNER',
      resultCode: null,
      alipayTransId: null,
      partnerTransId: null,
      outcome: 'F:ILLEGAL_PARTNER',
      durationMs: 0.125,
    });
    const second = aRequestLogEntry({
      ruleId: 'r1',
      ruleName: 'Fail twice',
      reason: 'rule r1',
      error: 'SYSTEM_ERROR',
      requestId: 'a1b2c3-1f',
      // A merchant whose sandbox clock was moved a month ahead.
      sandboxAt: new Date('2026-12-26T04:00:00.250Z'),
    });
    await ctx.store().appendRequestLog([first, second]);
    await ctx.store().appendRequestLog([]);
    const listed = await ctx.store().listRequestLog({});
    assert.equal(listed.length, 2);
    const [newer, older] = listed as [RequestLogEntry, RequestLogEntry];
    assert.ok(newer.id > older.id);
    assert.deepEqual(older, { ...first, id: older.id });
    assert.deepEqual(newer, { ...second, id: newer.id });
    assert.deepEqual(await ctx.store().getRequestLogEntry(older.id), older);
    assert.equal(await ctx.store().getRequestLogEntry(newer.id + 1_000), undefined);
    assert.deepEqual(ids(await ctx.store().listRequestLog({ requestId: 'a1b2c3-1f' })), [newer.id]);
    assert.equal(await ctx.store().countRequestLog({ requestId: 'a1b2c3-1f' }), 1);
    assert.equal(await ctx.store().countRequestLog({ requestId: 'a1b2c3-1' }), 0);
  });

  it('filters by partner, service, trade id, rule, outcome and time, and counts alike', async () => {
    const pay = 'alipay.acquire.overseas.spot.pay';
    const query = 'alipay.acquire.overseas.query';
    const entries: NewRequestLogEntry[] = [
      aRequestLogEntry({
        receivedAt: at(0),
        partner: 'A',
        service: pay,
        alipayTransId: 'T1',
        outcome: 'SUCCESS',
      }),
      aRequestLogEntry({
        receivedAt: at(1),
        partner: 'A',
        service: query,
        partnerTransId: 'T1',
        outcome: 'F:ILLEGAL_SIGN',
      }),
      aRequestLogEntry({
        receivedAt: at(2),
        partner: 'B',
        service: pay,
        ruleId: 'r_1',
        outcome: 'FAILED:SYSTEM_ERROR',
      }),
      aRequestLogEntry({ receivedAt: at(3), partner: 'A', service: pay, ruleId: 'rX1', outcome: 'f:lower' }),
      aRequestLogEntry({ receivedAt: at(4), partner: null, service: null, outcome: 'F:' }),
    ];
    await ctx.store().appendRequestLog(entries);
    const all = ids(await ctx.store().listRequestLog({})).reverse(); // oldest first, like entries
    const pick = (...indexes: number[]) => indexes.map((i) => all[i]).reverse();
    const cases = [
      [{ partner: 'A' }, pick(0, 1, 3)],
      [{ partner: 'A', service: pay }, pick(0, 3)],
      [{ tradeId: 'T1' }, pick(0, 1)],
      [{ ruleId: 'r_1' }, pick(2)],
      [{ outcome: 'SUCCESS' }, pick(0)],
      [{ outcome: 'F:' }, pick(1, 4)],
      [{ outcome: 'F:ILLEGAL' }, []],
      [{ outcome: 'FAILED:' }, pick(2)],
      [{ since: at(1), until: at(3) }, pick(1, 2)],
      [{ partner: 'A', beforeId: all[3] }, pick(0, 1)],
      [{ partner: 'nobody' }, []],
    ] as const;
    for (const [filter, expected] of cases) {
      assert.deepEqual(ids(await ctx.store().listRequestLog(filter)), expected, JSON.stringify(filter));
      assert.equal(await ctx.store().countRequestLog(filter), expected.length, JSON.stringify(filter));
    }
  });

  it('appends large batches, returns 50 entries by default, never more than 500, and pages by id', async () => {
    const store = ctx.store();
    await store.appendRequestLog(Array.from({ length: 520 }, (_, i) => aRequestLogEntry({ durationMs: i })));
    assert.equal(await store.countRequestLog({}), 520);
    const page1 = await store.listRequestLog({});
    assert.equal(page1.length, 50);
    assert.deepEqual(
      page1.slice(0, 2).map((e) => e.durationMs),
      [519, 518],
    );
    assert.equal((await store.listRequestLog({ limit: 10_000 })).length, 500);
    const seen = new Set<number>();
    let beforeId: number | undefined;
    for (;;) {
      const page = await store.listRequestLog({ limit: 200, beforeId });
      for (const e of page) seen.add(e.id);
      beforeId = page.at(-1)?.id;
      if (page.length < 200) break;
    }
    assert.equal(seen.size, 520);
  });

  it('prunes all but the newest entries and those older than a time, returning the count', async () => {
    const store = ctx.store();
    assert.equal(await store.pruneRequestLog({ maxEntries: 5 }), 0);
    await store.appendRequestLog(
      Array.from({ length: 10 }, (_, i) => aRequestLogEntry({ receivedAt: at(i) })),
    );
    const newest = ids(await store.listRequestLog({}));
    assert.equal(await store.pruneRequestLog({ maxEntries: 6 }), 4);
    assert.deepEqual(ids(await store.listRequestLog({})), newest.slice(0, 6));
    assert.equal(await store.pruneRequestLog({ maxEntries: 6, olderThan: at(7) }), 3);
    assert.deepEqual(ids(await store.listRequestLog({})), newest.slice(0, 3));
    assert.equal(await store.pruneRequestLog({ maxEntries: 0 }), 3);
    assert.equal(await store.countRequestLog({}), 0);
  });

  it('appends a batch made by newRequestLogBatch like a list, and refuses a batch of another kind', async () => {
    const store = ctx.store();
    const entries = [
      aRequestLogEntry({ partner: 'batched', durationMs: 1 }),
      aRequestLogEntry({ partner: 'batched' }),
    ];
    const batch = store.newRequestLogBatch();
    for (const e of entries) batch.add(e);
    assert.equal(batch.size, 2);
    await store.appendRequestLog(batch);
    const listed = await store.listRequestLog({ partner: 'batched' });
    assert.deepEqual(
      listed.map(({ id: _, ...entry }) => entry),
      [...entries].reverse(),
    );
    const foreign = { add: () => {}, size: 1 };
    await assert.rejects(async () => store.appendRequestLog(foreign), /batch of another store/);
  });

  it('keeps a batch whole when a raw request carries NUL bytes, quotes, backslashes and any Unicode', async () => {
    const store = ctx.store();
    const odd = aRequestLogEntry({
      partner: 'odd',
      method: 'POST',
      rawBody: 'a\0b "q" \\u0000 \\\0 \u00e4\u4e2d\u{1f600} \u2028',
      params: [{ name: 'subject', value: 'x\0y "\\" \u4e2d', source: 'body' }],
      responseBody: '<?xml version="1.0" encoding="GBK"?>\r\n<alipay>\u00c4</alipay>',
    });
    const plain = aRequestLogEntry({ partner: 'odd' });
    const batch = store.newRequestLogBatch();
    batch.add(odd);
    batch.add(plain);
    await store.appendRequestLog(batch);
    const [second, first] = (await store.listRequestLog({ partner: 'odd' })).map(({ id: _, ...e }) => e);
    assert.deepEqual(second, plain);
    // PostgreSQL's text cannot hold U+0000: there the raw body keeps U+FFFD in its place, all else as sent.
    const asStored = first?.rawBody.includes('\0') ? odd : withoutNul(odd);
    assert.deepEqual(first, asStored);
  });

  it('prunes to maxEntries in the same call when an append is given it, the new entries kept', async () => {
    const store = ctx.store();
    await store.appendRequestLog(Array.from({ length: 4 }, () => aRequestLogEntry({ partner: 'old' })));
    // Small (one statement) and large (several chunks) batches alike.
    for (const size of [3, 250]) {
      await store.appendRequestLog(
        Array.from({ length: size }, (_, i) => aRequestLogEntry({ partner: 'new', durationMs: i })),
        { maxEntries: size },
      );
      assert.equal(await store.countRequestLog({}), size);
      assert.equal(await store.countRequestLog({ partner: 'new' }), size);
      const newest = await store.listRequestLog({ limit: 1 });
      assert.equal(newest[0]?.durationMs, size - 1);
    }
  });

  it('never reuses the id of a pruned entry', async () => {
    const store = ctx.store();
    await store.appendRequestLog([aRequestLogEntry(), aRequestLogEntry()]);
    const [last] = ids(await store.listRequestLog({ limit: 1 }));
    await store.pruneRequestLog({ maxEntries: 0 });
    await store.appendRequestLog([aRequestLogEntry()]);
    const [next] = ids(await store.listRequestLog({ limit: 1 }));
    assert.ok(last !== undefined && next !== undefined && next > last);
  });
}

/** The entry with the U+0000 of its raw body replaced by U+FFFD (parameters are kept as JSON text, escaped). */
function withoutNul(entry: NewRequestLogEntry): NewRequestLogEntry {
  return { ...entry, rawBody: entry.rawBody.replaceAll('\0', '\uFFFD') };
}
