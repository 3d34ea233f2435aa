import { jsonLeafText, parseJsonText, type JsonValue } from './json-text.js';

/** Marks a parameter whose text is not valid JSON, so it is parsed only once. */
const NOT_JSON = Symbol('not-json');

/**
 * What the matcher knows about one request: its parameters plus a memo, so a JSON-valued parameter
 * is parsed at most once however many rules look inside it. Create one per request.
 */
export class MatchContext {
  // Made on first use: most requests reach no rule that looks inside a JSON parameter.
  #json: Map<string, JsonValue | typeof NOT_JSON> | undefined;

  constructor(readonly params: Readonly<Record<string, string>>) {}

  /** The raw parameter text, or undefined when it was not sent or sent empty (signers drop empty values). */
  param(name: string): string | undefined {
    if (!Object.hasOwn(this.params, name)) return undefined;
    const value = this.params[name];
    return value === undefined || value === '' ? undefined : value;
  }

  /** The parameter parsed as JSON (memoised), or undefined when it is absent or not valid JSON. */
  json(name: string): JsonValue | undefined {
    this.#json ??= new Map();
    let parsed = this.#json.get(name);
    if (parsed === undefined) {
      const text = this.param(name);
      parsed = text === undefined ? NOT_JSON : (parseJsonText(text) ?? NOT_JSON);
      this.#json.set(name, parsed);
    }
    return parsed === NOT_JSON ? undefined : parsed;
  }

  /** The text of `param` or of `param.a.b` inside it; undefined when absent (JSON null counts as absent). */
  resolve(param: string, path: readonly string[]): string | undefined {
    if (path.length === 0) return this.param(param);
    let node: JsonValue | undefined = this.json(param);
    for (const key of path) {
      if (node instanceof Map) node = node.get(key);
      else if (Array.isArray(node) && /^\d+$/.test(key)) node = node[Number(key)];
      else return undefined;
    }
    return node === undefined || node === null ? undefined : jsonLeafText(node);
  }
}

/** Starts the per-request memo for matching these parameters against many rules. */
export function createMatchContext(params: Readonly<Record<string, string>>): MatchContext {
  return new MatchContext(params);
}

/** Accepts either a prepared context or bare parameters (a fresh context is made for those). */
export function toMatchContext(input: MatchContext | Readonly<Record<string, string>>): MatchContext {
  return input instanceof MatchContext ? input : new MatchContext(input);
}
