import { z } from 'zod';
import { CANCEL_SERVICE, type ServiceName } from '../protocol/constants.js';
import { CONDITION_SCHEMA } from './condition-schema.js';
import { OUTCOME_SCHEMA, type Outcome, type StepOutcome } from './outcome-schema.js';
import { RESULT_CODES_BY_SERVICE, RULE_SERVICES, TRADE_CREATING_SERVICES } from './result-codes.js';

export { CONDITION_OPS, CONDITION_SCHEMA, MAX_REGEX_LENGTH } from './condition-schema.js';
export type { Condition, ConditionOp } from './condition-schema.js';
export {
  BROKEN_OUTCOME_SCHEMA,
  BUSINESS_OUTCOME_SCHEMA,
  DELAY_SCHEMA,
  FAULT_OUTCOME_SCHEMA,
  GATEWAY_ERROR_OUTCOME_SCHEMA,
  MAX_DELAY_MS,
  NORMAL_OUTCOME_SCHEMA,
  OUTCOME_SCHEMA,
  SEQUENCE_OUTCOME_SCHEMA,
  STEP_OUTCOME_SCHEMA,
} from './outcome-schema.js';
export type {
  BrokenOutcome,
  BusinessOutcome,
  Delay,
  FaultOutcome,
  GatewayErrorOutcome,
  NormalOutcome,
  Outcome,
  SequenceOutcome,
  StepOutcome,
} from './outcome-schema.js';
export { RESULT_CODES, RESULT_CODES_BY_SERVICE, RULE_SERVICES } from './result-codes.js';
export type { ResultCode, RuleService } from './result-codes.js';
export { formatZodIssues } from './format-zod-issues.js';
export type { IssueText } from './format-zod-issues.js';

/** At most this many conditions per rule. */
const MAX_CONDITIONS = 20;

/** Checks what depends on the service: result-code spelling, ledger effects, cancel's retry_flag. */
function checkStep(service: string, step: StepOutcome, path: PropertyKey[], ctx: z.RefinementCtx): void {
  const effect = 'effect' in step ? step.effect : undefined;
  if ((effect === 'create_trade' || effect === 'pending') && !TRADE_CREATING_SERVICES.includes(service)) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'effect'],
      message: `effect "${effect}" only applies to rules of ${TRADE_CREATING_SERVICES.join(', ')}`,
    });
  }
  if (step.type !== 'business' || service === '*') return;
  const allowed = RESULT_CODES_BY_SERVICE[service as ServiceName];
  if (!allowed.includes(step.result_code)) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'result_code'],
      message: `${service} answers ${allowed.join(', ')}; "${step.result_code}" is another service's spelling`,
    });
  }
  const retry = step.fields?.retry_flag;
  if (service === CANCEL_SERVICE && retry !== undefined && retry !== 'Y' && retry !== 'N') {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'fields', 'retry_flag'],
      message: 'retry_flag is Y or N',
    });
  }
}

function checkOutcome(service: string, then: Outcome, ctx: z.RefinementCtx): void {
  if (then.type !== 'sequence') return checkStep(service, then, ['then'], ctx);
  then.steps.forEach((step, i) => checkStep(service, step, ['then', 'steps', i], ctx));
}

/** A mock rule: for this partner (null = built-in default) and service, when every condition holds, then … */
export const RULE_SCHEMA = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'id is 1–64 letters, digits, _ . : or -')
      .optional(),
    partner: z
      .string()
      .regex(/^\d{16}$/, 'partner is a 16-digit PID (null for a default rule)')
      .nullable(),
    service: z.enum(RULE_SERVICES),
    name: z.string().trim().min(1).max(120),
    priority: z.number().int().min(-1_000_000).max(1_000_000).default(0),
    enabled: z.boolean().default(true),
    when: z.array(CONDITION_SCHEMA).max(MAX_CONDITIONS).default([]),
    then: OUTCOME_SCHEMA,
    times: z.number().int().min(1).max(1_000_000_000).optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((rule, ctx) => checkOutcome(rule.service, rule.then, ctx));

/** A validated rule, defaults applied. */
export type Rule = z.infer<typeof RULE_SCHEMA>;

/** A rule as written by a person or a client, before defaults. */
export type RuleInput = z.input<typeof RULE_SCHEMA>;

/** A rule file (YAML or JSON text parsed by the caller): `{ version: 1, rules: [...] }`, ids unique. */
export const RULE_FILE_SCHEMA = z
  .strictObject({ version: z.literal(1), rules: z.array(RULE_SCHEMA).max(100_000) })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.rules.forEach((rule, i) => {
      if (rule.id === undefined) return;
      if (seen.has(rule.id)) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `id "${rule.id}" is used twice` });
      }
      seen.add(rule.id);
    });
  });

/** A validated rule file. */
export type RuleFile = z.infer<typeof RULE_FILE_SCHEMA>;
