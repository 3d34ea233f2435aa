import type { NewRequestLogEntry } from '../ports/request-log.js';

type Param = NewRequestLogEntry['params'][number];

/** Marks where a kept text was cut; says how much is missing. */
function cutMark(missingBytes: number): string {
  return `…[${missingBytes} bytes not kept]`;
}

/** The text cut to at most maxBytes of UTF-8, the cut marked. */
function cutText(text: string, maxBytes: number): string {
  const size = Buffer.byteLength(text);
  if (size <= maxBytes) return text;
  const mark = cutMark(size - maxBytes);
  let kept = text.slice(0, Math.max(0, maxBytes - Buffer.byteLength(mark)));
  // Characters beyond one byte make the slice longer than asked: shorten it by the excess.
  for (let over = Buffer.byteLength(kept + mark) - maxBytes; over > 0;) {
    kept = kept.slice(0, Math.max(0, kept.length - over));
    over = Buffer.byteLength(kept + mark) - maxBytes;
  }
  return kept + mark;
}

function paramsSize(params: readonly Param[]): number {
  let size = 0;
  for (const p of params) size += Buffer.byteLength(p.name) + Buffer.byteLength(p.value);
  return size;
}

/** The parameters within maxBytes: values cut, and those that no longer fit left out (with a note). */
function cutParams(params: readonly Param[], maxBytes: number): Param[] {
  const kept: Param[] = [];
  let room = maxBytes;
  for (const [i, p] of params.entries()) {
    const name = cutText(p.name, Math.min(room, 256));
    room -= Buffer.byteLength(name);
    const value = cutText(p.value, Math.max(0, room));
    room -= Buffer.byteLength(value);
    kept.push({ ...p, name, value });
    if (room <= 64 && i < params.length - 1) {
      kept.push({ name: '…', value: `${params.length - i - 1} more parameters not kept`, source: p.source });
      break;
    }
  }
  return kept;
}

/**
 * The largest size every part may keep so that all of them together fit in `room`: parts smaller
 * than it are kept whole, and only the larger ones are cut (so the junk of a huge body does not
 * cost a normal entry its answer).
 */
function sharedCap(sizes: number[], room: number): number {
  const sorted = [...sizes].sort((a, b) => a - b);
  let left = room;
  for (const [i, size] of sorted.entries()) {
    const share = Math.floor(left / (sorted.length - i));
    if (size > share) return share;
    left -= size;
  }
  return room;
}

/**
 * The entry within maxBytes of raw request, parameters, string to sign and answer (UTF-8 bytes as
 * stored), so that the log's bound on entries also bounds its bytes (--request-log-max-bytes).
 */
export function capLogEntry(entry: NewRequestLogEntry, maxBytes: number): NewRequestLogEntry {
  const signString = entry.signature?.signString ?? '';
  // Every request passes here: a UTF-16 code unit is at most 3 bytes of UTF-8, so an entry whose
  // texts are short by length fits without counting its bytes.
  let units = entry.rawQuery.length + entry.rawBody.length + signString.length + entry.responseBody.length;
  for (const p of entry.params) units += p.name.length + p.value.length;
  if (units * 3 <= maxBytes) return entry;
  const sizes = [
    Buffer.byteLength(entry.rawQuery),
    Buffer.byteLength(entry.rawBody),
    paramsSize(entry.params),
    Buffer.byteLength(signString),
    Buffer.byteLength(entry.responseBody),
  ];
  if (sizes.reduce((a, b) => a + b, 0) <= maxBytes) return entry;
  const cap = sharedCap(sizes, maxBytes);
  return {
    ...entry,
    // Cut apart, the texts no longer decode to the parameters.
    paramsFromWire: false,
    rawQuery: cutText(entry.rawQuery, cap),
    rawBody: cutText(entry.rawBody, cap),
    params: cutParams(entry.params, cap),
    signature: entry.signature && { ...entry.signature, signString: cutText(signString, cap) },
    responseBody: cutText(entry.responseBody, cap),
  };
}
