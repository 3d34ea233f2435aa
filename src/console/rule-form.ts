import type { z } from 'zod';
import type { RuleDefinitionInput } from '../rules/rule-definition.js';
import type { ServiceName } from '../protocol/constants.js';
import { PRESENCE_OPS } from '../rules/condition-schema.js';
import { flattenZodIssues } from '../rules/format-zod-issues.js';
import { OUTCOME_SCHEMA, RESULT_CODES_BY_SERVICE, RULE_SCHEMA, type Rule } from '../rules/rule-schema.js';
import type { CustomRule } from '../domain/custom-rules.js';
import {
  fieldNameFor,
  listIndices,
  numberInput,
  readValue,
  writeValues,
  type FormProblems,
  type FormValues,
  type SchemaNode,
} from './schema-form.js';

/** The outcome schema as the schema form reads it. */
export const OUTCOME_NODE = OUTCOME_SCHEMA as unknown as SchemaNode;
const RULE_NODE = RULE_SCHEMA as unknown as SchemaNode;

/** The four services by the short names the console's tabs and URLs use. */
export const SERVICE_TABS: ReadonlyArray<{ tab: string; service: ServiceName; label: string }> = [
  { tab: 'pay', service: 'alipay.acquire.overseas.spot.pay', label: 'Spot pay' },
  { tab: 'cancel', service: 'alipay.acquire.cancel', label: 'Cancel' },
  { tab: 'refund', service: 'alipay.acquire.overseas.spot.refund', label: 'Refund' },
  { tab: 'query', service: 'alipay.acquire.overseas.query', label: 'Query' },
  { tab: 'precreate', service: 'alipay.acquire.precreate', label: 'Precreate' },
  { tab: 'create', service: 'alipay.acquire.create', label: 'Create' },
  { tab: 'qrcode-create', service: 'alipay.commerce.qrcode.create', label: 'QR code create' },
  { tab: 'qrcode-modify', service: 'alipay.commerce.qrcode.modify', label: 'QR code modify' },
  { tab: 'qrcode-status', service: 'alipay.commerce.qrcode.modifyStatus', label: 'QR code status' },
];

/** The tab of a service name ('*' rules show on every tab). */
export function tabOf(service: string): (typeof SERVICE_TABS)[number] | undefined {
  return SERVICE_TABS.find((t) => t.service === service || t.tab === service);
}

/** The parameter a rule of this service usually tests: the amount for a payment, the id otherwise. */
const TYPICAL_FIELD: Readonly<Record<ServiceName, string>> = {
  'alipay.acquire.overseas.spot.pay': 'trans_amount',
  'alipay.acquire.cancel': 'out_trade_no',
  'alipay.acquire.overseas.spot.refund': 'partner_refund_id',
  'alipay.acquire.overseas.query': 'partner_trans_id',
  'alipay.acquire.precreate': 'out_trade_no',
  'alipay.acquire.create': 'out_trade_no',
  'alipay.commerce.qrcode.create': 'biz_data.store_id',
  'alipay.commerce.qrcode.modify': 'biz_data.store_id',
  'alipay.commerce.qrcode.modifyStatus': 'qrcode',
};

/** The form of a new rule: one condition on the service's usual parameter, a failure answer. */
export function newRuleValues(service: ServiceName): Record<string, string> {
  const failed = RESULT_CODES_BY_SERVICE[service].find((c) => c !== 'SUCCESS') ?? 'SUCCESS';
  return {
    service,
    priority: '0',
    enabled: 'on',
    'when.0.field': TYPICAL_FIELD[service],
    'when.0.op': 'eq',
    'then.type': 'business',
    'then.business.result_code': failed,
  };
}

/** The editor's fields showing an existing rule. */
export function ruleValues(rule: Omit<RuleDefinitionInput, 'partner'>): Record<string, string> {
  const out: Record<string, string> = {
    service: rule.service,
    name: rule.name,
    priority: String(rule.priority),
  };
  if (rule.enabled) out['enabled'] = 'on';
  if (rule.times !== null && rule.times !== undefined) out['times'] = String(rule.times);
  if (rule.expiresAt !== null && rule.expiresAt !== undefined) {
    out['expiresAt'] = new Date(rule.expiresAt).toISOString();
  }
  const when = Array.isArray(rule.when)
    ? (rule.when as Array<{ field: string; op: string; value?: unknown }>)
    : [];
  when.forEach((c, i) => {
    out[`when.${i}.field`] = c.field;
    out[`when.${i}.op`] = c.op;
    if (Array.isArray(c.value)) out[`when.${i}.value`] = c.value.join(', ');
    else if (typeof c.value === 'string') out[`when.${i}.value`] = c.value;
  });
  writeValues(OUTCOME_NODE, 'then', rule.then, out);
  return out;
}

/** The conditions typed into the form, empty rows left out, and the form row each one came from. */
function conditionsFromForm(values: FormValues): {
  conditions: Array<Record<string, unknown>>;
  rows: number[];
} {
  const conditions: Array<Record<string, unknown>> = [];
  const rows: number[] = [];
  for (const i of listIndices(values, 'when', 'op')) {
    const field = values[`when.${i}.field`]?.trim() ?? '';
    const op = values[`when.${i}.op`] ?? 'eq';
    const value = values[`when.${i}.value`] ?? '';
    if (field === '' && value.trim() === '') continue;
    const condition: Record<string, unknown> = { field, op };
    if (op === 'in') {
      condition['value'] = value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
    } else if (!PRESENCE_OPS.has(op as never) || value !== '') {
      condition['value'] = value;
    }
    conditions.push(condition);
    rows.push(i);
  }
  return { conditions, rows };
}

/** The input for RULE_SCHEMA that the form describes, for this merchant. */
export function ruleInputFromForm(
  values: FormValues,
  partner: string,
): { input: Record<string, unknown>; rows: number[]; problems: FormProblems } {
  const problems: FormProblems = new Map();
  const { conditions, rows } = conditionsFromForm(values);
  const input: Record<string, unknown> = {
    partner,
    service: values['service'] ?? '',
    name: values['name'] ?? '',
    enabled: values['enabled'] === 'on',
    when: conditions,
    then: readValue(OUTCOME_NODE, 'then', values, problems) ?? {},
  };
  const priority = numberInput(values['priority']);
  if (priority !== undefined) input['priority'] = priority;
  const times = numberInput(values['times']);
  if (times !== undefined) input['times'] = times;
  const expiresAt = values['expiresAt']?.trim();
  if (expiresAt) input['expiresAt'] = expiresAt;
  return { input, rows, problems };
}

/** A zod message a person can act on next to a form field. */
function friendlyMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'enter a whole number';
  if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1)
    return 'required';
  if (issue.code === 'unrecognized_keys') return `unknown ${issue.keys.join(', ')}`;
  return issue.message;
}

/** A validated rule, or the messages to show next to each field. */
export type RuleFormResult = { ok: true; rule: CustomRule } | { ok: false; errors: Map<string, string> };

/**
 * Validates the rule form with RULE_SCHEMA, the schema of the admin API and rule files. Each problem
 * is keyed by the form field it belongs to (`name`, `when.2.value`, `then.business.error`).
 */
export function validateRuleForm(values: FormValues, partner: string): RuleFormResult {
  const { input, rows, problems } = ruleInputFromForm(values, partner);
  const errors = new Map(problems);
  const result = RULE_SCHEMA.safeParse(input);
  if (result.success && errors.size === 0)
    return { ok: true, rule: result.data as Rule & { partner: string } };
  if (!result.success) {
    for (const { path, issue } of flattenZodIssues(result.error)) {
      const [head, index, key] = path;
      const name =
        head === 'when' && typeof index === 'number'
          ? `when.${rows[index] ?? index}.${typeof key === 'string' ? key : 'field'}`
          : fieldNameFor(RULE_NODE, input, path, '');
      if (!errors.has(name)) errors.set(name, friendlyMessage(issue));
    }
  }
  return { ok: false, errors };
}
