import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

/** A place in a rule file's text: 1-based line and column. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A parsed YAML or JSON text that can say where each value of the data came from. */
export interface RuleFileSource {
  /** The data, as plain JavaScript values. */
  data: unknown;
  /** Syntax errors, each with its position; `data` is unusable when there is one. */
  syntaxErrors: Array<SourcePosition & { message: string }>;
  /**
   * Where the value at `path` is written. A path that does not exist points at the nearest
   * existing ancestor (`exists: false`); `key` points at that mapping key instead of its value.
   */
  locate(path: readonly PropertyKey[], key?: string): SourcePosition & { exists: boolean; source?: string };
}

/**
 * Parses a rule file. JSON is YAML 1.2, so one parser serves both and keeps every node's offsets;
 * tabs, which JSON allows as indentation and YAML does not, become spaces (same offsets, and a JSON
 * string cannot hold a raw tab).
 *
 * Valid JSON without repeated keys is read by JSON.parse, and the YAML parser runs only when a
 * position is asked for (a problem to report): it allocates ≈ 150 KB per rule of a large JSON file
 * and took 1.8 s for 10 000 rules, JSON.parse 14–30 ms (docs/performance-history.md).
 */
export function parseRuleFileSource(text: string): RuleFileSource {
  const body = text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text;
  const looksJson = /^\s*[{[]/.test(body);
  const json = looksJson ? jsonWithoutRepeatedKeys(body) : undefined;
  if (json === undefined) return yamlSource(body, looksJson);
  let positions: RuleFileSource | undefined;
  return {
    data: json.value,
    syntaxErrors: [],
    locate: (path, key) => (positions ??= yamlSource(body, true)).locate(path, key),
  };
}

/** The value of a JSON text, unless it is no JSON or repeats a key (YAML then reports where). */
function jsonWithoutRepeatedKeys(text: string): { value: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // In valid JSON every string token is matched whole, one after the other, and a key is a string
  // followed by a colon: so this counts the keys as written, and a repeated one makes it exceed the
  // keys JSON.parse kept.
  let written = 0;
  for (const m of text.matchAll(/"(?:[^"\\]|\\.)*"(\s*:)?/g)) if (m[1] !== undefined) written += 1;
  return written === keysOf(value) ? { value } : undefined;
}

/** How many keys the objects in a parsed JSON value hold, nested ones included (no recursion: any depth). */
function keysOf(value: unknown): number {
  let keys = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v !== 'object' || v === null) continue;
    const children: unknown[] = Array.isArray(v) ? v : Object.values(v);
    if (!Array.isArray(v)) keys += children.length;
    for (const child of children) pending.push(child);
  }
  return keys;
}

/** The YAML parse of a rule file's text, which knows every node's position. */
function yamlSource(body: string, looksJson: boolean): RuleFileSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(looksJson ? body.replace(/\t/g, ' ') : body, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const syntaxErrors = doc.errors.map((e) => ({ ...at(e.pos[0]), message: firstLine(e.message) }));
  let data: unknown;
  if (syntaxErrors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      // Only alias abuse gets here (an undefined or excessively repeated alias).
      syntaxErrors.push({ ...at(0), message: (err as Error).message });
    }
  }

  return {
    data,
    syntaxErrors,
    locate(path, key) {
      const found = walk(doc, path);
      let node = found.node;
      if (found.exists && key !== undefined && isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
        if (pair && isScalar(pair.key)) node = pair.key;
      }
      const range = (node as { range?: [number, number, number] } | null)?.range;
      const offset = range?.[0] ?? 0;
      const scalar = isScalar(node) && range ? { source: body.slice(range[0], range[1]) } : {};
      return { ...at(offset), exists: found.exists, ...scalar };
    },
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}

/** Follows path from the document root; stops at the deepest node that exists. */
function walk(doc: Document, path: readonly PropertyKey[]): { node: Node | null; exists: boolean } {
  let node = doc.contents;
  for (const key of path) {
    if (isAlias(node)) node = (node.resolve(doc) as Node | undefined) ?? node;
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      // `name:` with nothing after it has no value node; its key still says where.
      next = pair === undefined ? undefined : (pair.value ?? pair.key);
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key];
    }
    if (next === undefined || next === null) return { node, exists: false };
    node = next as Node;
  }
  return { node, exists: true };
}
