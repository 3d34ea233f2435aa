import type { RequestLogFilter } from '../ports/request-log.js';
import { REQUEST_LOG_COLUMNS } from './request-log-queries.js';
import { NULL, NUMBER, TEXT } from './row-buffer.js';

const column = (name: (typeof REQUEST_LOG_COLUMNS)[number]): number => REQUEST_LOG_COLUMNS.indexOf(name);
const WIDTH = REQUEST_LOG_COLUMNS.length;
const RECEIVED_AT = column('received_at');
/** The text columns a filter reads, in the order a block keeps their bytes. */
const KEY_COLUMNS = [
  'partner',
  'service',
  'rule_id',
  'alipay_trans_id',
  'partner_trans_id',
  'outcome',
  'request_id',
] as const;
const [PARTNER, SERVICE, RULE_ID, ALIPAY_TRANS_ID, PARTNER_TRANS_ID, OUTCOME, REQUEST_ID] = [
  0, 1, 2, 3, 4, 5, 6,
];
const KEYS = KEY_COLUMNS.length;
/** For each of a row's columns, its place among KEY_COLUMNS, or -1. */
const KEY_OF_COLUMN = REQUEST_LOG_COLUMNS.map((name) => (KEY_COLUMNS as readonly string[]).indexOf(name));

/** A filter with its text as UTF-8 bytes, compared with a block's bytes as they are. */
export interface BlockFilter {
  keys: Array<Buffer | undefined>;
  tradeId: Buffer | undefined;
  outcomePrefix: boolean;
  since: number | undefined;
  until: number | undefined;
  beforeId: number | undefined;
}

export function blockFilter(f: RequestLogFilter): BlockFilter {
  const bytes = (text: string | undefined) => (text === undefined ? undefined : Buffer.from(text, 'utf8'));
  const keys = Array.from({ length: KEYS }, (): Buffer | undefined => undefined);
  keys[PARTNER] = bytes(f.partner);
  keys[SERVICE] = bytes(f.service);
  keys[RULE_ID] = bytes(f.ruleId);
  keys[OUTCOME] = bytes(f.outcome);
  keys[REQUEST_ID] = bytes(f.requestId);
  return {
    keys,
    tradeId: bytes(f.tradeId),
    // A prefix ending in ':' (`F:`) matches every outcome it starts; a UTF-8 prefix is a byte prefix.
    outcomePrefix: f.outcome?.endsWith(':') === true,
    since: f.since?.getTime(),
    until: f.until?.getTime(),
    beforeId: f.beforeId,
  };
}

/** What a block fills as it indexes its rows (JournalBlock's arrays, and the key bytes kept so far). */
interface RowIndex {
  receivedAt: Float64Array;
  keyStart: Uint32Array;
  keyLength: Int32Array;
  keyBytes: Buffer;
  kept: number;
}

/**
 * Indexes the row at byte `at` of the payload as entry i; returns where the next row starts. A
 * function of its own, called for every row, so that V8 optimises it within the first block: as a
 * loop inside the block's constructor, a process reading a full log at its start ran it unoptimised
 * for most of a second.
 */
function indexRow(payload: Buffer, at: number, i: number, index: RowIndex): number {
  for (let c = 0; c < WIDTH; c++) {
    const tag = payload[at];
    const key = KEY_OF_COLUMN[c] as number;
    if (tag === NULL) {
      if (key >= 0) index.keyLength[i * KEYS + key] = -1;
      at += 1;
    } else if (tag === NUMBER && at + 9 <= payload.length) {
      if (c === RECEIVED_AT) index.receivedAt[i] = payload.readDoubleLE(at + 1);
      at += 9;
    } else if (tag === TEXT && at + 5 <= payload.length) {
      const length = payload.readUInt32LE(at + 1);
      const from = at + 5;
      at = from + length;
      if (at > payload.length) throw new Error('request journal: a row runs past its record');
      if (key < 0) continue;
      const { kept } = index;
      let { keyBytes } = index;
      if (kept + length > keyBytes.length) {
        const grown = Buffer.allocUnsafe(Math.max(2 * keyBytes.length, kept + length));
        keyBytes.copy(grown, 0, 0, kept);
        keyBytes = index.keyBytes = grown;
      }
      index.keyStart[i * KEYS + key] = kept;
      index.keyLength[i * KEYS + key] = length;
      // Short values byte by byte: a call into Buffer's copy costs more than the loop.
      if (length < 64) for (let b = 0; b < length; b++) keyBytes[kept + b] = payload[from + b] as number;
      else payload.copy(keyBytes, kept, from, at);
      index.kept = kept + length;
    } else {
      throw new Error(`request journal: not a row at byte ${at} of a record`);
    }
  }
  return at;
}

/**
 * The index of one batch of the request journal (request-journal.ts): for each entry, where its row
 * is, when it was received, and the bytes of the text columns that filters compare, all in typed
 * arrays and one buffer. Objects per entry cost the journal's thread more than writing the entry,
 * mostly in garbage collection; these cost it a walk along the row.
 */
export class JournalBlock {
  readonly lastId: number;
  /** Entries not deleted. */
  live: number;
  readonly #offsets: Float64Array;
  readonly #lengths: Uint32Array;
  readonly #receivedAt: Float64Array;
  /** Where each entry's key column starts in #keyBytes, and its length (-1: null). */
  readonly #keyStart: Uint32Array;
  readonly #keyLength: Int32Array;
  #keyBytes: Buffer;
  #dead: Uint8Array | undefined;

  /**
   * Indexes `count` rows of row-buffer.ts's format that fill `payload`, numbered from firstId, the
   * payload starting at byte `offset` of `segment`. Bytes that are not such rows throw.
   */
  constructor(
    readonly segment: string,
    readonly firstId: number,
    readonly count: number,
    payload: Buffer,
    offset: number,
  ) {
    this.lastId = firstId + count - 1;
    this.live = count;
    this.#offsets = new Float64Array(count);
    this.#lengths = new Uint32Array(count);
    this.#receivedAt = new Float64Array(count);
    this.#keyStart = new Uint32Array(count * KEYS);
    this.#keyLength = new Int32Array(count * KEYS);
    const index: RowIndex = {
      receivedAt: this.#receivedAt,
      keyStart: this.#keyStart,
      keyLength: this.#keyLength,
      keyBytes: Buffer.allocUnsafe(count * 128),
      kept: 0,
    };
    let at = 0;
    for (let i = 0; i < count; i++) {
      const next = indexRow(payload, at, i, index);
      this.#offsets[i] = offset + at;
      this.#lengths[i] = next - at;
      at = next;
    }
    if (at !== payload.length) throw new Error('request journal: a record holds more than its rows');
    this.#keyBytes = index.keyBytes.subarray(0, index.kept);
  }

  isLive(i: number): boolean {
    return this.#dead === undefined || this.#dead[i] === 0;
  }

  /** Deletes entry i; returns whether it was live. */
  delete(i: number): boolean {
    if (!this.isLive(i)) return false;
    this.#dead ??= new Uint8Array(this.count);
    this.#dead[i] = 1;
    this.live -= 1;
    return true;
  }

  /** Where entry i's row is in the segment. */
  row(i: number): { offset: number; length: number } {
    return { offset: this.#offsets[i] as number, length: this.#lengths[i] as number };
  }

  receivedAt(i: number): number {
    return this.#receivedAt[i] as number;
  }

  #equals(i: number, key: number, value: Buffer, prefix = false): boolean {
    const length = this.#keyLength[i * KEYS + key] as number;
    if (prefix ? length < value.length : length !== value.length) return false;
    const start = this.#keyStart[i * KEYS + key] as number;
    const bytes = this.#keyBytes;
    for (let b = 0; b < value.length; b++) if (bytes[start + b] !== value[b]) return false;
    return true;
  }

  isOf(i: number, partner: Buffer): boolean {
    return this.#equals(i, PARTNER, partner);
  }

  /** Whether live entry i meets every criterion of the filter. */
  matches(i: number, f: BlockFilter): boolean {
    const id = this.firstId + i;
    if (f.beforeId !== undefined && id >= f.beforeId) return false;
    const at = this.#receivedAt[i] as number;
    if (f.since !== undefined && at < f.since) return false;
    if (f.until !== undefined && at >= f.until) return false;
    for (let key = 0; key < KEYS; key++) {
      const value = f.keys[key];
      if (value !== undefined && !this.#equals(i, key, value, key === OUTCOME && f.outcomePrefix))
        return false;
    }
    if (f.tradeId !== undefined) {
      return this.#equals(i, ALIPAY_TRANS_ID, f.tradeId) || this.#equals(i, PARTNER_TRANS_ID, f.tradeId);
    }
    return true;
  }
}
