/**
 * A small JSON reader for JSON-valued request parameters (`extend_info`, `client_info` …). Unlike
 * JSON.parse it keeps numbers exactly as written ("1.10", 20880000000000001), so a rule compares the
 * text the merchant sent, and objects are Maps, so keys such as "__proto__" are plain data.
 */

/** A JSON number, kept as its source text. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A parsed JSON value: numbers as JsonNumber, objects as Maps. */
export type JsonValue = string | JsonNumber | boolean | null | JsonValue[] | Map<string, JsonValue>;

/** Deeper nesting than this is refused rather than risking the stack. */
const MAX_DEPTH = 64;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  skip(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    this.pos = WHITESPACE.lastIndex;
  }

  fail(): never {
    throw new SyntaxError(`invalid JSON at ${this.pos}`);
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail();
    this.skip();
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) this.fail();
    this.pos = NUMBER.lastIndex;
    return new JsonNumber(m[0]);
  }

  string(): string {
    let end = this.pos + 1;
    while (end < this.text.length && this.text[end] !== '"') end += this.text[end] === '\\' ? 2 : 1;
    if (end >= this.text.length) this.fail();
    // JSON.parse of the single string token decodes escapes and rejects control characters.
    const decoded: unknown = JSON.parse(this.text.slice(this.pos, end + 1));
    this.pos = end + 1;
    return decoded as string;
  }

  array(depth: number): JsonValue[] {
    const out: JsonValue[] = [];
    this.pos += 1;
    this.skip();
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.skip();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail();
    }
  }

  object(depth: number): Map<string, JsonValue> {
    const out = new Map<string, JsonValue>();
    this.pos += 1;
    this.skip();
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return out;
    }
    for (;;) {
      this.skip();
      if (this.text[this.pos] !== '"') this.fail();
      const key = this.string();
      this.skip();
      if (this.text[this.pos++] !== ':') this.fail();
      out.set(key, this.value(depth + 1));
      this.skip();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail();
    }
  }
}

/** Parses JSON text keeping numbers as written; undefined when the text is not valid JSON. */
export function parseJsonText(text: string): JsonValue | undefined {
  try {
    const reader = new Reader(text);
    const value = reader.value(0);
    reader.skip();
    return reader.pos === text.length ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The text a condition compares: strings as they are, numbers as written, anything else as compact JSON. */
export function jsonLeafText(value: JsonValue): string {
  if (typeof value === 'string') return value;
  return toJsonText(value);
}

function toJsonText(value: JsonValue): string {
  if (value instanceof JsonNumber) return value.text;
  if (value instanceof Map) {
    return `{${[...value].map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  return JSON.stringify(value);
}
