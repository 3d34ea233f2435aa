/**
 * HTML forms driven by a zod schema: the rule editor's outcome form is derived from OUTCOME_SCHEMA
 * itself, so every outcome type and option the schema accepts has a control, and a form field name
 * is the schema path (a discriminated union adds the chosen variant: `then.business.error`).
 * Reading a form back gives plain input for the same schema, which then validates it.
 */

/**
 * The parts of a zod schema node this module reads: its public `def` (zod 4's typed definition, the
 * documented replacement of `_def`), never the private `_zod` internals a zod upgrade may change.
 */
export interface SchemaNode {
  readonly def: SchemaDef;
}

interface SchemaDef {
  readonly type: string;
  readonly innerType?: SchemaNode;
  readonly shape?: Readonly<Record<string, SchemaNode>>;
  readonly options?: readonly SchemaNode[];
  readonly discriminator?: string;
  readonly values?: readonly unknown[];
  readonly entries?: Readonly<Record<string, string | number>>;
  readonly element?: SchemaNode;
}

/** Submitted form fields, one value per name. */
export type FormValues = Readonly<Record<string, string>>;

/** What a control edits, as the schema says. */
export type FieldShape =
  | { kind: 'choice'; options: string[]; numeric: boolean }
  | { kind: 'text' }
  | { kind: 'number' }
  | { kind: 'flag' }
  | { kind: 'lines' }
  | { kind: 'group'; keys: Array<[string, SchemaNode]> }
  | { kind: 'variants'; variants: Array<[string, SchemaNode]> }
  | { kind: 'list'; element: SchemaNode }
  | { kind: 'json' };

const WRAPPERS = new Set(['optional', 'default', 'nullable', 'prefault', 'readonly']);

/** The node under optional/default/nullable wrappers, and whether it may be left out. */
export function unwrap(node: SchemaNode): { node: SchemaNode; optional: boolean } {
  let current = node;
  let optional = false;
  while (WRAPPERS.has(current.def.type) && current.def.innerType) {
    optional = true;
    current = current.def.innerType;
  }
  return { node: current, optional };
}

/** The literal value of a variant's `type` key. */
function variantName(option: SchemaNode): string {
  const value = option.def.shape?.['type']?.def.values?.[0];
  return typeof value === 'string' ? value : '';
}

/** The kind of control a schema node needs. */
export function shapeOf(node: SchemaNode): FieldShape {
  const def = unwrap(node).node.def;
  switch (def.type) {
    case 'enum':
      return { kind: 'choice', options: Object.values(def.entries ?? {}).map(String), numeric: false };
    case 'literal':
      return { kind: 'choice', options: (def.values ?? []).map(String), numeric: false };
    case 'string':
      return { kind: 'text' };
    case 'number':
      return { kind: 'number' };
    case 'boolean':
      return { kind: 'flag' };
    case 'record':
      return { kind: 'lines' };
    case 'array':
      return def.element ? { kind: 'list', element: def.element } : { kind: 'json' };
    case 'object':
      return { kind: 'group', keys: Object.entries(def.shape ?? {}) };
    case 'union': {
      const options = def.options ?? [];
      if (def.discriminator === 'type')
        return { kind: 'variants', variants: options.map((o) => [variantName(o), o]) };
      const literals = options.map((o) => o.def);
      if (literals.every((d) => d.type === 'literal')) {
        const values = literals.flatMap((d) => d.values ?? []);
        return {
          kind: 'choice',
          options: values.map(String),
          numeric: values.every((v) => typeof v === 'number'),
        };
      }
      return { kind: 'json' };
    }
    default:
      return { kind: 'json' };
  }
}

/** The variant schema of a discriminated union with this `type`. */
export function variantOf(node: SchemaNode, type: string): SchemaNode | undefined {
  const shape = shapeOf(node);
  return shape.kind === 'variants' ? shape.variants.find(([name]) => name === type)?.[1] : undefined;
}

/** Keys of an object node (a variant's keys, `type` included). */
export function keysOf(node: SchemaNode): Array<[string, SchemaNode]> {
  const shape = shapeOf(node);
  return shape.kind === 'group' ? shape.keys : [];
}

/** Indices of list items present in the form: `steps.0.type`, `steps.3.type` → [0, 3]. */
export function listIndices(values: FormValues, name: string, probe = 'type'): number[] {
  const prefix = `${name}.`;
  const found = new Set<number>();
  for (const key of Object.keys(values)) {
    if (!key.startsWith(prefix) || !key.endsWith(`.${probe}`)) continue;
    const index = key.slice(prefix.length, -probe.length - 1);
    if (/^\d{1,3}$/.test(index)) found.add(Number(index));
  }
  return [...found].sort((a, b) => a - b);
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** A number typed into a form: a number when it reads as one, else the text (the schema then says why). */
export function numberInput(text: string | undefined): number | string | undefined {
  const trimmed = text?.trim() ?? '';
  if (trimmed === '') return undefined;
  return NUMBER.test(trimmed) ? Number(trimmed) : trimmed;
}

/** Problems of reading a form that come before the schema (a line that is not name=value, bad JSON). */
export type FormProblems = Map<string, string>;

function readLines(text: string, name: string, problems: FormProblems): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      problems.set(name, `write one name=value per line ("${line.trim().slice(0, 40)}" has no name=)`);
      return undefined;
    }
    out[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The input for `node` from form fields named after it: empty controls are left out (so optional
 * keys stay absent), a union reads the variant its `type` select names.
 */
export function readValue(
  node: SchemaNode,
  name: string,
  values: FormValues,
  problems: FormProblems,
): unknown {
  const shape = shapeOf(node);
  const text = values[name];
  switch (shape.kind) {
    case 'choice':
      if (text === undefined || text === '') return undefined;
      return shape.numeric ? numberInput(text) : text;
    case 'text':
      return text === undefined || text === '' ? undefined : text;
    case 'number':
      return numberInput(text);
    case 'flag':
      return text === 'on' || text === 'true' ? true : undefined;
    case 'lines':
      return readLines(text ?? '', name, problems);
    case 'json':
      if (text === undefined || text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        problems.set(name, 'not valid JSON');
        return undefined;
      }
    case 'list':
      return listIndices(values, name).map((i) => readValue(shape.element, `${name}.${i}`, values, problems));
    case 'group': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of shape.keys) {
        const value = readValue(child, `${name}.${key}`, values, problems);
        if (value !== undefined) out[key] = value;
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    case 'variants': {
      const type = values[`${name}.type`];
      if (type === undefined || type === '') return undefined;
      const variant = variantOf(node, type);
      const out: Record<string, unknown> = { type };
      for (const [key, child] of variant ? keysOf(variant) : []) {
        if (key === 'type') continue;
        const value = readValue(child, `${name}.${type}.${key}`, values, problems);
        if (value !== undefined) out[key] = value;
      }
      return out;
    }
  }
}

/** The form fields that show `value` (the inverse of readValue). */
export function writeValues(
  node: SchemaNode,
  name: string,
  value: unknown,
  out: Record<string, string>,
): void {
  if (value === undefined || value === null) return;
  const shape = shapeOf(node);
  switch (shape.kind) {
    case 'choice':
    case 'text':
    case 'number':
      out[name] = typeof value === 'string' ? value : JSON.stringify(value);
      return;
    case 'flag':
      if (value === true) out[name] = 'on';
      return;
    case 'lines':
      out[name] = Object.entries(value as Record<string, string>)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n');
      return;
    case 'json':
      out[name] = JSON.stringify(value, null, 2);
      return;
    case 'list':
      (value as unknown[]).forEach((item, i) => writeValues(shape.element, `${name}.${i}`, item, out));
      return;
    case 'group':
      for (const [key, child] of shape.keys) {
        writeValues(child, `${name}.${key}`, (value as Record<string, unknown>)[key], out);
      }
      return;
    case 'variants': {
      const raw = (value as { type?: unknown }).type;
      const type = typeof raw === 'string' ? raw : '';
      out[`${name}.type`] = type;
      const variant = variantOf(node, type);
      for (const [key, child] of variant ? keysOf(variant) : []) {
        if (key !== 'type')
          writeValues(child, `${name}.${type}.${key}`, (value as Record<string, unknown>)[key], out);
      }
    }
  }
}

/**
 * The form field a validation issue belongs to: walks the issue path through the schema and the
 * input together, adding the variant name at each discriminated union. A path that ends on a group
 * names the group (its fieldset shows the message).
 */
export function fieldNameFor(
  node: SchemaNode,
  input: unknown,
  path: readonly PropertyKey[],
  name: string,
): string {
  const join = (key: string | number) => (name === '' ? String(key) : `${name}.${key}`);
  const shape = shapeOf(node);
  const [head, ...rest] = path;
  if (shape.kind === 'variants') {
    const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
    const variant = typeof type === 'string' ? variantOf(node, type) : undefined;
    if (head === undefined || head === 'type' || variant === undefined) return join('type');
    const child = keysOf(variant).find(([key]) => key === head)?.[1];
    if (child === undefined) return join('type');
    return fieldNameFor(
      child,
      (input as Record<string, unknown>)[head as string],
      rest,
      `${join(type as string)}.${String(head)}`,
    );
  }
  if (head === undefined) return name;
  if (shape.kind === 'group') {
    const child = shape.keys.find(([key]) => key === head)?.[1];
    if (child === undefined) return name;
    const next =
      typeof input === 'object' && input !== null
        ? (input as Record<string, unknown>)[head as string]
        : undefined;
    return fieldNameFor(child, next, rest, join(String(head)));
  }
  if (shape.kind === 'list' && typeof head === 'number') {
    const next = Array.isArray(input) ? (input as unknown[])[head] : undefined;
    return fieldNameFor(shape.element, next, rest, join(head));
  }
  return name;
}
