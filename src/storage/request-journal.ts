/**
 * The request log of a SQLite store, kept as a journal: the batches' bytes appended to segment files
 * as the gateway wrote them (row-buffer.ts), and an index of each entry's few short columns in
 * memory (journal-block.ts). Writing a batch costs its thread one write and a walk along its rows;
 * SQLite cost it 12–16 µs an entry (rows and index entries), on the core that answers, and its
 * batches set the query's p99 (docs/performance-history.md).
 *
 * A segment is a sequence of records. An `entries` record is a batch: its first id, how many rows,
 * the rows. The other kinds delete: every entry up to an id, one merchant's entries, or the entries
 * received before a time, each only among the entries written before it. Every process of a store
 * reads the same records in the same order, so each one's index is the same; a process catches up
 * with what the others wrote before every call. Segments are removed oldest first, once none of their
 * entries is left, so a delete record never goes before an entry it deleted.
 */
import type { Selectable } from 'kysely';
import type { RequestLogEntry, RequestLogFilter } from '../ports/request-log.js';
import { blockFilter, JournalBlock, type BlockFilter } from './journal-block.js';
import { type LogSegments, segmentName } from './log-segments.js';
import { pageLimit, REQUEST_LOG_COLUMNS, rowToEntry } from './request-log-queries.js';
import { readRowAt, type RowValue } from './row-buffer.js';
import type { RequestLogTable } from './schema.js';

/** A new segment starts once the newest holds this much: what the log keeps beyond its bound on disk. */
export const SEGMENT_BYTES = 32 * 1024 * 1024;

const MAGIC = 0x4a515241; // "ARQJ" read as bytes
const ENTRIES = 1;
const DELETE_UP_TO = 2;
const DELETE_PARTNER = 3;
const DELETE_BEFORE = 4;
/** magic u32, kind u8, payload length u32, a f64, b f64 (all little-endian), then the payload. */
const HEADER = 4 + 1 + 4 + 8 + 8;

/** A record before it is written: its kind, its two numbers and its payload. */
interface JournalRecord {
  kind: number;
  a: number;
  b: number;
  payload: Uint8Array;
}

function header({ kind, a, b, payload }: JournalRecord): Buffer {
  const bytes = Buffer.allocUnsafe(HEADER);
  bytes.writeUInt32LE(MAGIC, 0);
  bytes[4] = kind;
  bytes.writeUInt32LE(payload.length, 5);
  bytes.writeDoubleLE(a, 9);
  bytes.writeDoubleLE(b, 17);
  return bytes;
}

const NO_PAYLOAD = new Uint8Array(0);

/** Rows of the journal's entries record: the bytes (row-buffer.ts) and how many rows they hold. */
export interface JournalRows {
  bytes: Uint8Array;
  count: number;
}

export interface RequestJournal {
  /** Appends the rows as entries numbered on from the newest (or from `firstId`); with maxEntries, prunes to it. */
  append(rows: JournalRows, maxEntries?: number, firstId?: number): void;
  list(filter: RequestLogFilter): RequestLogEntry[];
  get(id: number): RequestLogEntry | undefined;
  count(filter: RequestLogFilter): number;
  /** Deletes all but the newest maxEntries entries, and those received before olderThan; returns how many. */
  prune(opts: { maxEntries: number; olderThan?: Date | undefined }): number;
  deleteOf(partner: string): void;
  /** The highest id written so far, by any process (0 for a journal never written). */
  newestId(): number;
  /** Ids and receipt times of the entries after `id`, oldest first (the bench's watch of the log's lag). */
  newerThan(id: number): Array<{ id: number; receivedAt: number }>;
  close(): void;
}

/** The journal kept in these segments. */
export function requestJournal(segments: LogSegments): RequestJournal {
  /** The index, a block per entries record, oldest first; a block goes once none of its entries is left. */
  let blocks: JournalBlock[] = [];
  /** Each segment read so far, and up to which byte. */
  const readTo = new Map<string, number>();
  let lastId = 0;

  /** Deletes the entries up to `upTo` that `drop` picks; returns how many were live. */
  function deleteWhere(upTo: number, drop: (block: JournalBlock, i: number) => boolean): number {
    let removed = 0;
    for (const block of blocks) {
      if (block.firstId > upTo) break;
      if (block.live === 0) continue;
      const last = Math.min(block.count, upTo - block.firstId + 1);
      for (let i = 0; i < last; i++) if (drop(block, i) && block.delete(i)) removed++;
    }
    blocks = blocks.filter((block) => block.live > 0);
    return removed;
  }

  /** Ids only grow, so the entries up to an id are the oldest blocks' (no block's but the last partly). */
  function deleteUpTo(id: number): number {
    let removed = 0;
    let whole = 0;
    while (whole < blocks.length && (blocks[whole] as JournalBlock).lastId <= id) {
      removed += (blocks[whole] as JournalBlock).live;
      whole++;
    }
    if (whole > 0) blocks = blocks.slice(whole);
    return removed + deleteWhere(id, () => true);
  }

  /** Applies one record whose payload starts at byte `offset` of the segment; returns what it deleted. */
  function apply(segment: string, record: JournalRecord, payload: Buffer, offset: number): number {
    const { kind, a, b } = record;
    if (kind === ENTRIES) {
      blocks.push(new JournalBlock(segment, a, b, payload, offset));
      lastId = Math.max(lastId, a + b - 1);
      return 0;
    }
    if (kind === DELETE_UP_TO) return deleteUpTo(a);
    if (kind === DELETE_PARTNER) return deleteWhere(a, (block, i) => block.isOf(i, payload));
    if (kind === DELETE_BEFORE) return deleteWhere(a, (block, i) => block.receivedAt(i) < b);
    throw new Error(`request journal: a record of unknown kind ${kind}`);
  }

  /**
   * Reads a segment's records from `from` on, applying each; returns where the last whole record
   * ends and how many entries its deletes removed. A record cut short (being written, or left by a
   * writer that died) or not a record ends the reading.
   */
  function readSegment(segment: string, from: number): { to: number; removed: number } {
    const size = segments.size(segment);
    if (size <= from) return { to: from, removed: 0 };
    const bytes = segments.read(segment, from, size - from);
    let at = 0;
    let removed = 0;
    while (at + HEADER <= bytes.length && bytes.readUInt32LE(at) === MAGIC) {
      const end = at + HEADER + bytes.readUInt32LE(at + 5);
      if (end > bytes.length) break;
      const payload = bytes.subarray(at + HEADER, end);
      const record = {
        kind: bytes[at + 4] as number,
        a: bytes.readDoubleLE(at + 9),
        b: bytes.readDoubleLE(at + 17),
        payload,
      };
      try {
        removed += apply(segment, record, payload, from + at + HEADER);
      } catch {
        break;
      }
      at = end;
    }
    return { to: from + at, removed };
  }

  /** Reads what every process has written since the last call. */
  function catchUp(): void {
    const names = segments.names();
    for (const segment of [...readTo.keys()]) {
      if (names.includes(segment)) continue;
      // Removed by another process: none of its entries was left.
      readTo.delete(segment);
      blocks = blocks.filter((block) => block.segment !== segment);
    }
    for (const segment of names) readTo.set(segment, readSegment(segment, readTo.get(segment) ?? 0).to);
  }

  /**
   * Appends records under the store's write lock, after every other process's, and returns what
   * their deletes removed. `records` gets the newest id so far.
   */
  function write(records: (newestId: number) => JournalRecord[]): number {
    // Most of what others wrote is read before the lock is taken, so that a process reading a whole
    // log at its first write (about 1.5 s for 100 000 entries) does not hold the others' appends.
    catchUp();
    return segments.exclusively(() => {
      catchUp();
      let newest = segments.names().at(-1);
      if (newest !== undefined && segments.size(newest) > (readTo.get(newest) ?? 0)) {
        // What a writer that died left half written: nobody else writes while this process holds the lock.
        segments.truncate(newest, readTo.get(newest) ?? 0);
      }
      const next = segmentName(lastId + 1);
      if (newest === undefined || (segments.size(newest) >= SEGMENT_BYTES && next > newest)) {
        newest = next;
        readTo.set(newest, 0);
      }
      const written = records(lastId);
      segments.append(
        newest,
        written.flatMap((record) => [header(record), record.payload]),
      );
      // Indexed from memory as written, not read back from the file.
      let at = readTo.get(newest) ?? 0;
      let removed = 0;
      for (const record of written) {
        const { payload } = record;
        removed += apply(
          newest,
          record,
          Buffer.from(payload.buffer, payload.byteOffset, payload.length),
          at + HEADER,
        );
        at += HEADER + payload.length;
      }
      readTo.set(newest, at);
      // Segments before the one of the oldest entry left hold none; the newest stays (it numbers on).
      const oldestKept = blocks[0]?.segment ?? newest;
      for (const segment of segments.names()) {
        if (segment >= oldestKept || segment === newest) break;
        segments.remove(segment);
        readTo.delete(segment);
      }
      return removed;
    });
  }

  function upTo(id: number): JournalRecord {
    return { kind: DELETE_UP_TO, a: id, b: 0, payload: NO_PAYLOAD };
  }

  function entryOf(block: JournalBlock, i: number): RequestLogEntry {
    const { offset, length } = block.row(i);
    const values = new Array<RowValue>(REQUEST_LOG_COLUMNS.length);
    readRowAt(segments.read(block.segment, offset, length), 0, values);
    const row: Record<string, RowValue> = { id: block.firstId + i };
    REQUEST_LOG_COLUMNS.forEach((column, c) => (row[column] = values[c] as RowValue));
    return rowToEntry(row as unknown as Selectable<RequestLogTable>);
  }

  /** Calls `each` with the live entries that match, newest first, until it returns false. */
  function forMatches(filter: BlockFilter, each: (block: JournalBlock, i: number) => boolean): void {
    for (let b = blocks.length - 1; b >= 0; b--) {
      const block = blocks[b] as JournalBlock;
      for (let i = block.count - 1; i >= 0; i--) {
        if (block.isLive(i) && block.matches(i, filter) && !each(block, i)) return;
      }
    }
  }

  return {
    append(rows, maxEntries, firstId) {
      if (rows.count === 0 && maxEntries === undefined) return;
      write((newestId) => {
        const first = Math.max(firstId ?? 0, newestId + 1);
        const records: JournalRecord[] =
          rows.count === 0 ? [] : [{ kind: ENTRIES, a: first, b: rows.count, payload: rows.bytes }];
        if (maxEntries !== undefined) records.push(upTo(first + rows.count - 1 - maxEntries));
        return records;
      });
    },
    list(filter) {
      catchUp();
      const limit = pageLimit(filter.limit);
      const found: RequestLogEntry[] = [];
      forMatches(blockFilter(filter), (block, i) => found.push(entryOf(block, i)) < limit);
      return found;
    },
    get(id) {
      catchUp();
      const block = blocks.find((b) => b.firstId <= id && id <= b.lastId);
      const i = id - (block?.firstId ?? 0);
      return block !== undefined && block.isLive(i) ? entryOf(block, i) : undefined;
    },
    count(filter) {
      catchUp();
      let found = 0;
      forMatches(blockFilter(filter), () => (found++, true));
      return found;
    },
    prune({ maxEntries, olderThan }) {
      if (!Number.isSafeInteger(maxEntries) || maxEntries < 0)
        throw new RangeError(`maxEntries must be a non-negative integer, got ${maxEntries}`);
      return write((newestId) => {
        const records = [upTo(newestId - maxEntries)];
        if (olderThan !== undefined)
          records.push({ kind: DELETE_BEFORE, a: newestId, b: olderThan.getTime(), payload: NO_PAYLOAD });
        return records;
      });
    },
    deleteOf(partner) {
      write((newestId) => [
        { kind: DELETE_PARTNER, a: newestId, b: 0, payload: Buffer.from(partner, 'utf8') },
      ]);
    },
    newestId() {
      catchUp();
      return lastId;
    },
    newerThan(id) {
      catchUp();
      const newer: Array<{ id: number; receivedAt: number }> = [];
      for (let b = blocks.length - 1; b >= 0 && (blocks[b] as JournalBlock).lastId > id; b--) {
        const block = blocks[b] as JournalBlock;
        for (let i = block.count - 1; i >= 0 && block.firstId + i > id; i--) {
          if (block.isLive(i)) newer.push({ id: block.firstId + i, receivedAt: block.receivedAt(i) });
        }
      }
      return newer.reverse();
    },
    close: () => segments.close(),
  };
}
