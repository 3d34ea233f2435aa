import { z } from 'zod';
import { GATEWAY_ERROR_CODES } from '../protocol/gateway-errors.js';
import { RESULT_CODES } from './result-codes.js';
import { templateProblems } from './render-template.js';
import { NOTIFY_MODES } from '../ports/notification-outbox.js';

/** No delay may exceed two minutes: longer waits belong to a `hang` fault. */
export const MAX_DELAY_MS = 120_000;

const MS = z.number().int().min(0).max(MAX_DELAY_MS);

/** How long to wait before answering: fixed, uniform between two bounds, or log-normal around a median. */
export const DELAY_SCHEMA = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('fixed'), ms: MS }),
  z
    .strictObject({ type: z.literal('uniform'), minMs: MS, maxMs: MS })
    .refine((d) => d.minMs <= d.maxMs, { message: 'minMs must not exceed maxMs', path: ['maxMs'] }),
  z.strictObject({ type: z.literal('lognormal'), medianMs: MS.min(1), sigma: z.number().min(0).max(3) }),
]);

/** A delay. */
export type Delay = z.infer<typeof DELAY_SCHEMA>;

/** A business error code as it appears in `<error>`: String(48), upper case. */
const ERROR_CODE = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,47}$/, 'error must be an upper-case code such as SYSTEM_ERROR');

const FIELD_NAME = /^[a-z][a-z0-9_]{0,63}$/;

const TEMPLATE = z
  .string()
  .max(1000)
  .superRefine((text, ctx) => {
    for (const message of templateProblems(text)) ctx.addIssue({ code: 'custom', message });
  });

const FIELDS = z.record(z.string(), TEMPLATE).superRefine((fields, ctx) => {
  const names = Object.keys(fields);
  if (names.length > 50) ctx.addIssue({ code: 'custom', message: 'at most 50 response fields' });
  for (const name of names) {
    if (!FIELD_NAME.test(name)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'a response field name is lower case: a-z, 0-9 and _',
      });
    } else if (name === 'result_code' || name === 'error') {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `set ${name} on the outcome itself, not in fields`,
      });
    }
  }
});

/** At most a day: the real gateway's retries span about 24 hours (docs/reference/alipay-mapi-protocol.md §12). */
const MAX_NOTIFY_DELAY_SECONDS = 86_400;

/**
 * `notify`: what happens to the notification the request causes (a paid or closed trade with a
 * notify_url, a refund with is_sync=N). `delaySeconds` is required by `delay` and optional for
 * `out_of_order` (how long at most the notification waits for a later one of the same trade).
 */
export const NOTIFY_SCHEMA = z
  .strictObject({
    mode: z.enum(NOTIFY_MODES),
    delaySeconds: z.number().int().min(0).max(MAX_NOTIFY_DELAY_SECONDS).optional(),
  })
  .superRefine((n, ctx) => {
    if (n.mode === 'delay' && n.delaySeconds === undefined) {
      ctx.addIssue({ code: 'custom', path: ['delaySeconds'], message: 'mode "delay" needs delaySeconds' });
    }
    if (n.delaySeconds !== undefined && n.mode !== 'delay' && n.mode !== 'out_of_order') {
      ctx.addIssue({
        code: 'custom',
        path: ['delaySeconds'],
        message: 'delaySeconds only applies to modes "delay" and "out_of_order"',
      });
    }
  });

/** A rule's notification directive. */
export type NotifyDirective = z.infer<typeof NOTIFY_SCHEMA>;

const RESOLVE = z
  .strictObject({
    to: z.enum(['paid', 'closed']),
    afterSeconds: z.number().int().min(0).max(86_400).optional(),
    afterQueries: z.number().int().min(1).max(1000).optional(),
  })
  .refine((r) => r.afterSeconds !== undefined || r.afterQueries !== undefined, {
    message: 'resolve needs afterSeconds, afterQueries or both (whichever comes first)',
  });

/** A business answer (`is_success=T`) with a chosen result_code, error and extra fields. */
export const BUSINESS_OUTCOME_SCHEMA = z
  .strictObject({
    type: z.literal('business'),
    result_code: z.enum(RESULT_CODES),
    error: ERROR_CODE.optional(),
    fields: FIELDS.optional(),
    effect: z.enum(['none', 'create_trade', 'pending']).optional(),
    resolve: RESOLVE.optional(),
    delay: DELAY_SCHEMA.optional(),
    notify: NOTIFY_SCHEMA.optional(),
  })
  .superRefine((o, ctx) => {
    if (o.resolve !== undefined && o.effect !== 'pending') {
      ctx.addIssue({
        code: 'custom',
        path: ['resolve'],
        message: 'resolve only applies to effect "pending"',
      });
    }
  });

/** A gateway-level rejection (`is_success=F`, docs/reference/alipay-mapi-protocol.md §9.6). */
export const GATEWAY_ERROR_OUTCOME_SCHEMA = z.strictObject({
  type: z.literal('gateway_error'),
  code: z.enum(GATEWAY_ERROR_CODES),
  delay: DELAY_SCHEMA.optional(),
});

/** A reply that arrives but is wrong: bad signature, malformed XML, an HTML error page, the wrong charset. */
export const BROKEN_OUTCOME_SCHEMA = z
  .strictObject({
    type: z.literal('broken'),
    kind: z.enum(['bad_signature', 'malformed_xml', 'html_error', 'wrong_charset']),
    status: z.union([z.literal(502), z.literal(503)]).optional(),
    effect: z.enum(['none', 'create_trade']).optional(),
    delay: DELAY_SCHEMA.optional(),
  })
  .superRefine((o, ctx) => {
    if (o.status !== undefined && o.kind !== 'html_error') {
      ctx.addIssue({ code: 'custom', path: ['status'], message: 'status only applies to kind "html_error"' });
    }
  });

/** Transport trouble: a slow answer, no answer, a reset, an empty or garbled or truncated reply. */
export const FAULT_OUTCOME_SCHEMA = z
  .strictObject({
    type: z.literal('fault'),
    fault: z.enum(['delay', 'hang', 'reset', 'empty', 'garbage', 'truncate']),
    delay: DELAY_SCHEMA.optional(),
    effect: z.enum(['none', 'create_trade']).optional(),
    notify: NOTIFY_SCHEMA.optional(),
  })
  .superRefine((o, ctx) => {
    if (o.fault === 'delay' && o.delay === undefined) {
      ctx.addIssue({ code: 'custom', path: ['delay'], message: 'fault "delay" needs a delay' });
    }
    if (o.fault === 'hang' && o.delay !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['delay'],
        message: 'fault "hang" never answers, so it takes no delay',
      });
    }
    if ((o.fault === 'delay' || o.fault === 'truncate') && o.effect !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['effect'],
        message: `fault "${o.fault}" runs the request normally, so it takes no effect`,
      });
    }
  });

/** The normal stateful behaviour, optionally delayed (useful as the last step of a sequence). */
export const NORMAL_OUTCOME_SCHEMA = z.strictObject({
  type: z.literal('normal'),
  delay: DELAY_SCHEMA.optional(),
  notify: NOTIFY_SCHEMA.optional(),
});

/** Any outcome except a sequence: what one step of a sequence can be. */
export const STEP_OUTCOME_SCHEMA = z.discriminatedUnion(
  'type',
  [
    BUSINESS_OUTCOME_SCHEMA,
    GATEWAY_ERROR_OUTCOME_SCHEMA,
    BROKEN_OUTCOME_SCHEMA,
    FAULT_OUTCOME_SCHEMA,
    NORMAL_OUTCOME_SCHEMA,
  ],
  {
    error: (iss) =>
      iss.code === 'invalid_union' && (iss.input as { type?: unknown } | undefined)?.type === 'sequence'
        ? 'a sequence step cannot itself be a sequence'
        : undefined,
  },
);

/** Several outcomes used in turn on successive matches; after the last, loop or keep the last one. */
export const SEQUENCE_OUTCOME_SCHEMA = z.strictObject({
  type: z.literal('sequence'),
  steps: z.array(STEP_OUTCOME_SCHEMA).min(1).max(50),
  loop: z.boolean().optional(),
});

/** What a matching rule does to the request. */
export const OUTCOME_SCHEMA = z.discriminatedUnion('type', [
  BUSINESS_OUTCOME_SCHEMA,
  GATEWAY_ERROR_OUTCOME_SCHEMA,
  BROKEN_OUTCOME_SCHEMA,
  FAULT_OUTCOME_SCHEMA,
  NORMAL_OUTCOME_SCHEMA,
  SEQUENCE_OUTCOME_SCHEMA,
]);

/** A business outcome. */
export type BusinessOutcome = z.infer<typeof BUSINESS_OUTCOME_SCHEMA>;
/** A gateway error outcome. */
export type GatewayErrorOutcome = z.infer<typeof GATEWAY_ERROR_OUTCOME_SCHEMA>;
/** A broken-reply outcome. */
export type BrokenOutcome = z.infer<typeof BROKEN_OUTCOME_SCHEMA>;
/** A transport fault outcome. */
export type FaultOutcome = z.infer<typeof FAULT_OUTCOME_SCHEMA>;
/** The normal-behaviour outcome. */
export type NormalOutcome = z.infer<typeof NORMAL_OUTCOME_SCHEMA>;
/** One step of a sequence (never itself a sequence). */
export type StepOutcome = z.infer<typeof STEP_OUTCOME_SCHEMA>;
/** A sequence outcome. */
export type SequenceOutcome = z.infer<typeof SEQUENCE_OUTCOME_SCHEMA>;
/** Any outcome. */
export type Outcome = z.infer<typeof OUTCOME_SCHEMA>;
