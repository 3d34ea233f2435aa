import { html, type SafeHtml } from './html.js';
import { listIndices, shapeOf, unwrap, type FormValues, type SchemaNode } from './schema-form.js';

/** How a schema form is labelled and filled. */
export interface SchemaFormContext {
  values: FormValues;
  /** Messages by field name (a group's name puts the message on its fieldset). */
  errors: ReadonlyMap<string, string>;
  /** Label and help text of a schema key. */
  describe(key: string): { label: string; help?: string };
  /** Human name of a union variant (`business` → "Business answer"). */
  variantLabel(variant: string): string;
  /** Extra attributes of a choice's option (e.g. which services a result code belongs to). */
  optionAttrs?(key: string, option: string): Readonly<Record<string, string>>;
  /**
   * Inside an optional group every choice may be left empty, so that leaving the whole group empty
   * leaves the key out (a required choice with a default would always fill it).
   */
  inOptionalGroup?: boolean;
}

/** The attributes that tie a control to its help text and error message. */
function describedBy(name: string, help: string | undefined, error: string | undefined) {
  const ids = [help ? `h-${name}` : '', error ? `e-${name}` : ''].filter(Boolean).join(' ');
  return html`${ids ? html` aria-describedby="${ids}"` : ''}${error ? html` aria-invalid="true"` : ''}`;
}

function messages(name: string, help: string | undefined, error: string | undefined): SafeHtml {
  return html`${help ? html`<p class="hint" id="h-${name}">${help}</p>` : ''}${
    error ? html`<p class="field-error" id="e-${name}"><span class="sr-only">Error: </span>${error}</p>` : ''
  }`;
}

function optionAttrs(ctx: SchemaFormContext, key: string, option: string): SafeHtml {
  const attrs = ctx.optionAttrs?.(key, option) ?? {};
  return html`${Object.entries(attrs).map(([k, v]) => html` ${k}="${v}"`)}`;
}

function control(node: SchemaNode, name: string, key: string, ctx: SchemaFormContext): SafeHtml {
  const { label, help } = ctx.describe(key);
  const error = ctx.errors.get(name);
  const value = ctx.values[name];
  const optional = unwrap(node).optional || ctx.inOptionalGroup === true;
  const shape = shapeOf(node);
  const aria = describedBy(name, help, error);
  const id = `f-${name}`;
  switch (shape.kind) {
    case 'choice': {
      const chosen = value ?? (optional ? '' : (shape.options[0] ?? ''));
      return html`<div class="field${error ? ' has-error' : ''}">
        <label for="${id}">${label}</label>
        <select id="${id}" name="${name}" data-key="${key}" ${aria}>
          ${optional ? html`<option value="" ${chosen === '' ? ' selected' : ''}>(none)</option>` : ''}
          ${shape.options.map(
            (o) =>
              html`<option value="${o}" ${o === chosen ? ' selected' : ''}${optionAttrs(ctx, key, o)}>
                ${o}
              </option>`,
          )}</select
        >${messages(name, help, error)}
      </div>`;
    }
    case 'flag':
      return html`<div class="field field-check${error ? ' has-error' : ''}">
        <input type="checkbox" id="${id}" name="${name}" ${value === 'on' ? ' checked' : ''}${aria} />
        <label for="${id}">${label}</label>${messages(name, help, error)}
      </div>`;
    case 'lines':
    case 'json':
      return html`<div class="field field-wide${error ? ' has-error' : ''}">
        <label for="${id}">${label}</label>
        <textarea id="${id}" name="${name}" rows="3" spellcheck="false" ${aria}>${value ?? ''}</textarea
        >${messages(name, help, error)}
      </div>`;
    default:
      return html`<div class="field${error ? ' has-error' : ''}">
        <label for="${id}">${label}</label>
        <input
          id="${id}"
          name="${name}"
          value="${value ?? ''}"
          ${
            shape.kind === 'number'
              ? html` type="number" step="any" inputmode="decimal"`
              : html` type="text" spellcheck="false"`
          }${aria}
        />${messages(name, help, error)}
      </div>`;
  }
}

function group(
  node: SchemaNode,
  name: string,
  key: string,
  ctx: SchemaFormContext,
  legend?: string,
): SafeHtml {
  const shape = shapeOf(node);
  if (shape.kind !== 'group') return html``;
  const { help, label: ownLabel } = ctx.describe(key);
  const label = legend ?? ownLabel;
  const error = ctx.errors.get(name);
  return html`<fieldset
    class="subform${error ? ' has-error' : ''}"
    id="f-${name}"
    ${describedBy(name, help, error)}
  >
    <legend>${label}</legend>
    ${messages(name, help, error)}
    <div class="field-grid">
      ${shape.keys.map(([k, child]) =>
        renderNode(child, `${name}.${k}`, k, { ...ctx, inOptionalGroup: unwrap(node).optional }),
      )}
    </div>
  </fieldset>`;
}

function variants(
  node: SchemaNode,
  name: string,
  key: string,
  ctx: SchemaFormContext,
  legend?: string,
): SafeHtml {
  const shape = shapeOf(node);
  if (shape.kind !== 'variants') return html``;
  const { help, label: ownLabel } = ctx.describe(key);
  const label = legend ?? ownLabel;
  const { optional } = unwrap(node);
  const selectName = `${name}.type`;
  const error = ctx.errors.get(selectName);
  const chosen = ctx.values[selectName] ?? (optional ? '' : (shape.variants[0]?.[0] ?? ''));
  return html`<fieldset class="variants" data-variants="${name}">
    <legend${legend === undefined ? '' : html` data-item-legend`}>${label}</legend>
    <div class="field${error ? ' has-error' : ''}">
      <label for="f-${selectName}">${optional ? 'Kind' : 'Type'}</label>
      <select id="f-${selectName}" name="${selectName}" data-variant-select="${name}"${describedBy(selectName, help, error)}>
        ${optional ? html`<option value="" ${chosen === '' ? ' selected' : ''}>(none)</option>` : ''}
        ${shape.variants.map(
          ([v]) =>
            html`<option value="${v}" ${v === chosen ? ' selected' : ''}>${ctx.variantLabel(v)}</option>`,
        )}
      </select>${messages(selectName, help, error)}
    </div>
    ${shape.variants.map(([v, option]) => {
      const children = shapeOf(option);
      const keys = children.kind === 'group' ? children.keys.filter(([k]) => k !== 'type') : [];
      return html`<div
        class="variant"
        data-variant-of="${name}"
        data-variant="${v}"
        ${v === chosen ? '' : ' hidden'}
      >
        <div class="field-grid">
          ${keys.map(([k, child]) => renderNode(child, `${name}.${v}.${k}`, k, ctx))}
        </div>
      </div>`;
    })}
  </fieldset>`;
}

/** Placeholder of a list item's index in its template; the script replaces it. */
export const INDEX_PLACEHOLDER = '__n__';

function listItem(element: SchemaNode, name: string, index: string, key: string, ctx: SchemaFormContext) {
  const item = ctx.describe(`${key}.item`).label;
  const legend = index === INDEX_PLACEHOLDER ? item : `${item} ${Number(index) + 1}`;
  return html`<li class="list-item" data-item data-item-label="${item}">
    ${renderNode(element, `${name}.${index}`, `${key}.item`, ctx, legend)}
    <button type="button" class="btn btn-small btn-quiet" data-remove-item>
      Remove ${item.toLowerCase()}
    </button>
  </li>`;
}

function list(node: SchemaNode, name: string, key: string, ctx: SchemaFormContext): SafeHtml {
  const shape = shapeOf(node);
  if (shape.kind !== 'list') return html``;
  const { label, help } = ctx.describe(key);
  const item = ctx.describe(`${key}.item`).label;
  const error = ctx.errors.get(name);
  const present = listIndices(ctx.values, name);
  const indices = present.length > 0 ? present : [0];
  return html`<fieldset class="list${error ? ' has-error' : ''}" data-list="${name}">
    <legend>${label}</legend>
    ${messages(name, help, error)}
    <ol class="list-items">
      ${indices.map((i) => listItem(shape.element, name, String(i), key, ctx))}
    </ol>
    <template data-list-template="${name}"
      >${listItem(shape.element, name, INDEX_PLACEHOLDER, key, { ...ctx, values: {}, errors: new Map() })}</template
    >
    <button type="button" class="btn btn-small" data-add-item="${name}">Add ${item.toLowerCase()}</button>
  </fieldset>`;
}

/** The controls of one schema node named `name`; `key` picks its label unless a legend is given. */
export function renderNode(
  node: SchemaNode,
  name: string,
  key: string,
  ctx: SchemaFormContext,
  legend?: string,
): SafeHtml {
  const kind = shapeOf(node).kind;
  if (kind === 'group') return group(node, name, key, ctx, legend);
  if (kind === 'variants') return variants(node, name, key, ctx, legend);
  if (kind === 'list') return list(node, name, key, ctx);
  return control(node, name, key, ctx);
}
