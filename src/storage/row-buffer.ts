/**
 * Rows of plain values (text, numbers, null) written into one buffer as they come. The SQLite request
 * log keeps the entries waiting for their hand-over this way: as bytes instead of each request's
 * objects, which every young-generation collection had to copy while they waited (6–7 ms a
 * collection on average instead of 1–1.5 ms; docs/performance-history.md).
 *
 * Each value is a tag byte and its bytes: 0 null; 1 a number (float64, little-endian); 2 text (uint32
 * byte length, little-endian, then UTF-8). Rows follow each other; the reader knows their width.
 */
export type RowValue = string | number | null;

/** Rows a RowBufferWriter wrote: its shared memory and how many bytes of it. */
export interface WrittenRows {
  memory: SharedArrayBuffer;
  length: number;
  /** How many rows. */
  rows: number;
}

/** Each value's tag byte (the journal's index walks rows by them too, journal-block.ts). */
export const NULL = 0;
export const NUMBER = 1;
export const TEXT = 2;

/** Memory another thread can read without a copy, as a Buffer. */
function sharedBuffer(size: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(size));
}

/**
 * Collects rows into a growing buffer of shared memory: the reader on another thread gets the memory
 * itself, nothing is copied, and the buffer is meant to be reused once read (`release`). A new buffer
 * per batch, handed over by transfer, was memory outside the heap that V8 counts until a collection,
 * and it started full collections of ~10 ms three times as often (docs/performance-history.md).
 */
export class RowBufferWriter {
  #bytes: Buffer;
  #at = 0;
  #rows = 0;

  /** buffer: shared memory to write into (one released earlier); a larger one replaces it when full. */
  constructor(buffer: Buffer = sharedBuffer(256 * 1024)) {
    this.#bytes = buffer;
  }

  /** Rows added so far. */
  get rows(): number {
    return this.#rows;
  }

  /** The buffer with room for `bytes` more, doubled when full. */
  #room(bytes: number): Buffer {
    if (this.#at + bytes <= this.#bytes.length) return this.#bytes;
    const grown = sharedBuffer(Math.max(this.#bytes.length * 2, this.#at + bytes));
    this.#bytes.copy(grown, 0, 0, this.#at);
    this.#bytes = grown;
    return grown;
  }

  add(values: readonly RowValue[]): void {
    for (const value of values) this.#write(value);
    this.#rows += 1;
  }

  /**
   * add() of a row given as an object: its values in the order of `columns`. Spares the array of
   * values, which V8 converts as it fills (numbers, then text), on every request (docs/performance-history.md).
   */
  addRow<C extends string>(row: Readonly<Record<C, RowValue>>, columns: readonly C[]): void {
    for (const column of columns) this.#write(row[column]);
    this.#rows += 1;
  }

  #write(value: RowValue): void {
    if (value === null) {
      this.#room(1)[this.#at] = NULL;
      this.#at += 1;
    } else if (typeof value === 'number') {
      const bytes = this.#room(9);
      bytes[this.#at] = NUMBER;
      bytes.writeDoubleLE(value, this.#at + 1);
      this.#at += 9;
    } else if (typeof value === 'string') {
      // A UTF-16 code unit takes at most 3 bytes of UTF-8.
      const bytes = this.#room(5 + 3 * value.length);
      bytes[this.#at] = TEXT;
      const length = bytes.write(value, this.#at + 5, 'utf8');
      bytes.writeUInt32LE(length, this.#at + 1);
      this.#at += 5 + length;
    } else {
      throw new TypeError(`a row buffer holds text, numbers and null, not ${typeof value}`);
    }
  }

  /** The rows written so far: their shared memory and length (for readRows on any thread). */
  written(): WrittenRows {
    return { memory: this.#bytes.buffer as SharedArrayBuffer, length: this.#at, rows: this.#rows };
  }

  /** The buffer, for a next writer once the rows have been read; this writer must not be used again. */
  release(): Buffer {
    return this.#bytes;
  }
}

/** Calls `each` with every row written (RowBufferWriter's `written()`), `width` values each, in order. */
export function readRows(rows: WrittenRows, width: number, each: (values: RowValue[]) => void): void {
  const buf = Buffer.from(rows.memory, 0, rows.length);
  let at = 0;
  while (at < buf.length) {
    const values = new Array<RowValue>(width);
    at = readRowAt(buf, at, values);
    each(values);
  }
}

/**
 * Reads the row that starts at byte `at` into `values` (its length is the row's width) and returns
 * where the next row starts. With `wanted`, only the columns it marks are decoded and the others are
 * left null: the request journal indexes a row by a few short columns of its many (request-journal.ts).
 * Bytes that are not a row of that width throw.
 */
export function readRowAt(buf: Buffer, at: number, values: RowValue[], wanted?: readonly boolean[]): number {
  for (let i = 0; i < values.length; i++) {
    const tag = buf[at];
    if (tag === NULL) {
      values[i] = null;
      at += 1;
    } else if (tag === NUMBER && at + 9 <= buf.length) {
      values[i] = wanted === undefined || wanted[i] === true ? buf.readDoubleLE(at + 1) : null;
      at += 9;
    } else if (tag === TEXT && at + 5 <= buf.length) {
      const length = buf.readUInt32LE(at + 1);
      const end = at + 5 + length;
      if (end > buf.length) throw new Error(`row buffer: text past the end at byte ${at}`);
      values[i] = wanted === undefined || wanted[i] === true ? buf.toString('utf8', at + 5, end) : null;
      at = end;
    } else {
      throw new Error(`row buffer: unexpected tag ${String(tag)} at byte ${at}`);
    }
  }
  return at;
}
