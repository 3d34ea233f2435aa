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
 */
export function parseRuleFileSource(text: string): RuleFileSource {
  const body = text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text;
  const looksJson = /^\s*[{[]/.test(body);
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
