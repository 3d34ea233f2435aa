import { CONDITION_OPS } from '../rules/condition-schema.js';
import { RESULT_CODES_BY_SERVICE, RULE_SERVICES } from '../rules/result-codes.js';
import type { ConsoleViewer } from './console-session.js';
import { csrfField } from './console-layout.js';
import { serviceLabel } from './console-format.js';
import { html, type SafeHtml } from './html.js';
import { OUTCOME_NODE, tabOf } from './rule-form.js';
import { listIndices, type FormValues } from './schema-form.js';
import { INDEX_PLACEHOLDER, renderNode, type SchemaFormContext } from './schema-form-view.js';

/** Labels and help of the outcome form's keys (docs/rules.md, "Outcomes"). */
const KEY_TEXT: Readonly<Record<string, { label: string; help?: string }>> = {
  then: { label: 'Outcome', help: 'What the sandbox answers when every condition holds.' },
  result_code: {
    label: 'Result code',
    help: 'Spelled the way the service spells it: clients compare it literally.',
  },
  error: { label: 'Error code', help: 'Upper case, e.g. BUYER_BALANCE_NOT_ENOUGH.' },
  fields: {
    label: 'Extra response fields',
    help: 'One name=value per line. Values may use {{param_name}} and {{now:yyyyMMddHHmmss}}.',
  },
  effect: {
    label: 'Ledger effect',
    help: 'none: nothing is recorded; create_trade and pending: spot pay only.',
  },
  resolve: { label: 'Resolution of the pending trade', help: 'Whichever comes first.' },
  to: { label: 'Resolves to' },
  afterSeconds: { label: 'After seconds (sandbox time)' },
  afterQueries: { label: 'On query number' },
  delay: { label: 'Delay before answering', help: 'At most 120 000 ms.' },
  ms: { label: 'Milliseconds' },
  minMs: { label: 'Shortest (ms)' },
  maxMs: { label: 'Longest (ms)' },
  medianMs: { label: 'Median (ms)' },
  sigma: { label: 'Spread sigma (0–3)' },
  notify: {
    label: 'Asynchronous notification',
    help: 'What happens to the notification this request causes.',
  },
  mode: { label: 'Mode' },
  delaySeconds: { label: 'Delay (seconds)' },
  code: { label: 'Gateway error code' },
  kind: { label: 'Kind of broken reply' },
  status: { label: 'HTTP status (html_error only)' },
  fault: { label: 'Fault', help: 'delay and truncate run the request normally; the others lose the answer.' },
  steps: {
    label: 'Steps',
    help: 'Each match uses the next step; after the last, the last is kept (or it loops).',
  },
  'steps.item': { label: 'Step' },
  loop: { label: 'Start over after the last step' },
};

const VARIANT_TEXT: Readonly<Record<string, string>> = {
  business: 'Business answer (is_success=T)',
  gateway_error: 'Gateway error (is_success=F)',
  broken: 'Broken reply',
  fault: 'Transport fault',
  normal: 'Normal behaviour',
  sequence: 'Sequence of outcomes',
  fixed: 'Fixed',
  uniform: 'Uniform between two bounds',
  lognormal: 'Log-normal around a median',
};

function humanize(key: string): string {
  const words = key
    .replace(/([A-Z])/g, ' $1')
    .replace(/_/g, ' ')
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

/** Request parameters offered in the condition builder's field list. */
const FIELD_SUGGESTIONS = [
  'trans_amount',
  'partner_trans_id',
  'currency',
  'trans_currency',
  'buyer_identity_code',
  'trans_name',
  'memo',
  'quantity',
  'notify_url',
  'extend_info.store_id',
  'extend_info.secondary_merchant_id',
  'out_trade_no',
  'trade_no',
  'partner_refund_id',
  'refund_amount',
  'refund_reason',
  'is_sync',
  'alipay_trans_id',
  '_input_charset',
  'sign_type',
];

/** A field's name in words for the error summary: `when.0.value` → "Condition 1: value". */
function fieldLabel(name: string): string {
  const parts = name.split('.');
  // `….delay.type` is the delay's kind: name it after the nearest key the editor labels.
  const last =
    parts.at(-1) === 'type'
      ? ([...parts].reverse().find((p) => p in KEY_TEXT) ?? 'type')
      : (parts.at(-1) ?? name);
  const words = KEY_TEXT[last]?.label ?? humanize(last);
  if (parts[0] === 'when' && parts.length === 3)
    return `Condition ${Number(parts[1]) + 1}: ${words.toLowerCase()}`;
  const step = parts.indexOf('steps');
  if (step >= 0 && parts[step + 1] !== undefined)
    return `Step ${Number(parts[step + 1]) + 1}: ${words.toLowerCase()}`;
  return words;
}

function error(errors: ReadonlyMap<string, string>, name: string): SafeHtml {
  const text = errors.get(name);
  return text
    ? html`<p class="field-error" id="e-${name}"><span class="sr-only">Error: </span>${text}</p>`
    : html``;
}

function aria(errors: ReadonlyMap<string, string>, name: string, help?: boolean): SafeHtml {
  const ids = [help ? `h-${name}` : '', errors.has(name) ? `e-${name}` : ''].filter(Boolean).join(' ');
  return html`${ids ? html` aria-describedby="${ids}"` : ''}${errors.has(name) ? html` aria-invalid="true"` : ''}`;
}

function conditionRow(values: FormValues, errors: ReadonlyMap<string, string>, index: string): SafeHtml {
  const n = (k: string) => `when.${index}.${k}`;
  const op = values[n('op')] ?? 'eq';
  const invalid = [n('field'), n('op'), n('value')].some((k) => errors.has(k));
  return html`<li
    class="list-item condition${invalid ? ' has-error' : ''}"
    data-item
    data-item-label="Condition"
  >
    <div class="field">
      <label for="f-${n('field')}">Parameter</label>
      <input
        id="f-${n('field')}"
        name="${n('field')}"
        value="${values[n('field')] ?? ''}"
        list="param-names"
        spellcheck="false"
        autocomplete="off"
        ${aria(errors, n('field'))}
      />
      ${error(errors, n('field'))}
    </div>
    <div class="field">
      <label for="f-${n('op')}">Operator</label>
      <select id="f-${n('op')}" name="${n('op')}" data-op-select${aria(errors, n('op'))}>
        ${CONDITION_OPS.map(
          (o) => html`<option value="${o}" ${o === op ? ' selected' : ''}>${o}</option>`,
        )}</select
      >${error(errors, n('op'))}
    </div>
    <div class="field">
      <label for="f-${n('value')}">Value</label>
      <input
        id="f-${n('value')}"
        name="${n('value')}"
        value="${values[n('value')] ?? ''}"
        spellcheck="false"
        autocomplete="off"
        ${aria(errors, n('value'))}
      />
      ${error(errors, n('value'))}
    </div>
    <button type="button" class="btn btn-small btn-quiet" data-remove-item>Remove condition</button>
  </li>`;
}

function conditions(values: FormValues, errors: ReadonlyMap<string, string>): SafeHtml {
  const present = listIndices(values, 'when', 'op');
  return html`<fieldset
    class="list"
    id="f-when"
    data-list="when"
    ${errors.has('when') ? html` aria-describedby="e-when"` : ''}
  >
    <legend>Conditions</legend>
    <p class="hint">
      All must hold; with none, the rule answers every request of its service. <code>in</code> takes a
      comma-separated list; <code>exists</code> and <code>absent</code> take no value;
      <code>param.key</code> looks inside a JSON parameter (<code>extend_info.store_id</code>).
    </p>
    ${error(errors, 'when')}
    <ol class="list-items">
      ${present.map((i) => conditionRow(values, errors, String(i)))}
    </ol>
    <template data-list-template="when">${conditionRow({}, new Map(), INDEX_PLACEHOLDER)}</template>
    <button type="button" class="btn btn-small" data-add-item="when">Add condition</button>
    <datalist id="param-names">
      ${FIELD_SUGGESTIONS.map((f) => html`<option value="${f}"></option>`)}
    </datalist>
  </fieldset>`;
}

/** Which services a result code belongs to, for the script to hide the other services' spellings. */
function resultCodeServices(code: string): string {
  const services = Object.entries(RESULT_CODES_BY_SERVICE)
    .filter(([, codes]) => (codes as readonly string[]).includes(code))
    .map(([s]) => s);
  return [...services, '*'].join(' ');
}

/** Everything the editor shows. */
export interface RuleEditorModel {
  action: string;
  cancelHref: string;
  viewer: ConsoleViewer | null;
  values: FormValues;
  errors: ReadonlyMap<string, string>;
  /** Hits and lifetime of an existing rule. */
  counters?: SafeHtml | undefined;
}

function topField(m: RuleEditorModel, name: string, label: string, input: SafeHtml, help?: string): SafeHtml {
  return html`<div class="field${m.errors.has(name) ? ' has-error' : ''}">
    <label for="f-${name}">${label}</label>${input}
    ${help ? html`<p class="hint" id="h-${name}">${help}</p>` : ''}${error(m.errors, name)}
  </div>`;
}

/** The rule editor: rule fields, the condition builder and the outcome form, errors beside each field. */
export function ruleEditor(m: RuleEditorModel): SafeHtml {
  const v = m.values;
  const service = v['service'] ?? 'alipay.acquire.overseas.spot.pay';
  const ctx: SchemaFormContext = {
    values: v,
    errors: m.errors,
    describe: (key) => KEY_TEXT[key] ?? { label: humanize(key) },
    variantLabel: (variant) => VARIANT_TEXT[variant] ?? humanize(variant),
    optionAttrs: (key, option): Record<string, string> =>
      key === 'result_code' ? { 'data-services': resultCodeServices(option) } : {},
  };
  const summary = [...m.errors.entries()];
  const text = (name: string, extra: SafeHtml = html``) =>
    html`<input
      id="f-${name}"
      name="${name}"
      value="${v[name] ?? ''}"
      spellcheck="false"
      ${extra}${aria(m.errors, name, true)}
    />`;
  return html`<form method="post" action="${m.action}" class="rule-editor" novalidate data-rule-editor>
    ${csrfField(m.viewer)}
    ${
      summary.length > 0
        ? html`<div class="error-summary" role="alert" tabindex="-1" data-error-summary>
            <h2>This rule has ${summary.length === 1 ? 'a problem' : `${summary.length} problems`}</h2>
            <ul>
              ${summary.map(([name, message]) => html`<li><a href="#f-${name}">${fieldLabel(name)}: ${message}</a></li>`)}
            </ul>
          </div>`
        : ''
    }
    <section class="card" aria-labelledby="rule-h">
      <h2 id="rule-h">Rule</h2>
      <div class="field-grid">
        ${topField(m, 'name', 'Name', text('name', html` maxlength="120" required`), 'Shown in the request log.')}
        ${topField(
          m,
          'service',
          'Service',
          html`<select id="f-service" name="service" data-service-select${aria(m.errors, 'service')}>
            ${RULE_SERVICES.map(
              (s) =>
                html`<option value="${s}" ${s === service ? ' selected' : ''}>
                  ${serviceLabel(s)}${s === '*' ? '' : ` (${s})`}
                </option>`,
            )}
          </select>`,
        )}
        ${topField(m, 'priority', 'Priority', text('priority', html` type="number" step="1" inputmode="numeric"`), 'Higher wins; ties go to the newer rule.')}
        ${topField(m, 'times', 'Lifetime: at most this many matches', text('times', html` type="number" min="1" step="1" inputmode="numeric"`), 'Empty: unlimited.')}
        ${topField(m, 'expiresAt', 'Expires at', text('expiresAt', html` placeholder="2026-12-31T23:59:59+08:00"`), 'ISO date-time with offset, sandbox time. Empty: never.')}
        <div class="field field-check">
          <input type="checkbox" id="f-enabled" name="enabled" ${v['enabled'] === 'on' ? ' checked' : ''} />
          <label for="f-enabled">Enabled</label>
        </div>
      </div>
      ${m.counters ?? ''}
    </section>
    <section class="card" aria-labelledby="when-h">
      <h2 id="when-h">When</h2>
      ${conditions(v, m.errors)}
    </section>
    <section class="card" aria-labelledby="then-h">
      <h2 id="then-h">Then</h2>
      <div data-service-scope="${tabOf(service)?.service ?? '*'}">
        ${renderNode(OUTCOME_NODE, 'then', 'then', ctx)}
      </div>
    </section>
    <div class="form-actions">
      <button type="submit" class="btn btn-primary">Save rule</button>
      <a class="btn btn-quiet" href="${m.cancelHref}">Cancel</a>
    </div>
  </form>`;
}
