// Rows written into shared memory on one thread and read back on another (the SQLite request log's hand-over).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { readRows, RowBufferWriter, type RowValue } from '../../src/storage/row-buffer.js';

const rowsOf = (writer: RowBufferWriter, width: number): RowValue[][] => {
  const rows: RowValue[][] = [];
  readRows(writer.written(), width, (values) => rows.push(values));
  return rows;
};

describe('row buffer', () => {
  it('reads back every value as written: text of any script, empty text, null, integers and fractions', () => {
    const rows: RowValue[][] = [
      ['GBK bytes as text: \u00c4\u00e3\u00ba\u00c3', '', null, 0, 'z', 's3:n1;'],
      ['中文 ✓ 😀', 'a'.repeat(70_000), -1.5, 1_764_993_600_123, null, 2 ** 53 - 1],
    ];
    // Far smaller than the rows: the buffer grows (twice and more) while they are written.
    const writer = new RowBufferWriter(Buffer.from(new SharedArrayBuffer(16)));
    for (const row of rows) writer.add(row);
    assert.equal(writer.rows, 2);
    assert.deepEqual(rowsOf(writer, 6), rows);
  });

  it('serves a second writer with the first one’s memory once released, and reads only what that one wrote', () => {
    const first = new RowBufferWriter();
    first.add(['a long first row '.repeat(100), 1]);
    const second = new RowBufferWriter(first.release());
    second.add(['short', null]);
    assert.deepEqual(rowsOf(second, 2), [['short', null]]);
  });

  it('refuses a value that is not text, a number or null', () => {
    const writer = new RowBufferWriter();
    assert.throws(() => writer.add([true as unknown as RowValue]), /text, numbers and null, not boolean/);
  });

  it('is read on another thread from the shared memory itself', async () => {
    const writer = new RowBufferWriter();
    writer.add(['from the gateway’s thread', 42, null]);
    // The reader sees the same memory: a byte changed after the hand-over is seen there too.
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const bytes = new Uint8Array(workerData.memory);
       parentPort.postMessage(bytes[0]);`,
      { eval: true, workerData: writer.written() },
    );
    const firstByte = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    assert.equal(firstByte, 2, 'the tag of a text value, read from the shared memory');
  });
});
