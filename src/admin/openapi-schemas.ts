import { z } from 'zod';
import { CURRENCIES, SERVICES, SIGN_TYPES, TRADE_STATUSES } from '../protocol/constants.js';
import { RULE_SCHEMA } from '../rules/rule-schema.js';
import { CREATE_API_KEY_SCHEMA } from './api-key-routes.js';
import { CHECK_COMPONENT_SCHEMAS } from './check-openapi-schemas.js';
import { CREATE_BUYER_SCHEMA, PATCH_BUYER_SCHEMA } from './buyer-routes.js';
import { CREATE_MERCHANT_SCHEMA, PATCH_MERCHANT_SCHEMA } from './merchant-routes.js';
import { PROBLEM_CODES } from './problem.js';
import { SWITCH_SCHEMA } from './rule-routes.js';
import { CLOCK_CHANGE_SCHEMA, FORCE_STATE_SCHEMA } from './sandbox-routes.js';
import { WALLET_ACTION_SCHEMA } from './wallet-routes.js';

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1). */
export type JsonSchema = { [keyword: string]: unknown };

/** The input side of a zod schema as JSON Schema: what a client may send (defaults shown, not required). */
function fromZod(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}

const str: JsonSchema = { type: 'string' };
const nullableStr: JsonSchema = { type: ['string', 'null'] };
const time: JsonSchema = { type: 'string', format: 'date-time' };
const nullableTime: JsonSchema = { type: ['string', 'null'], format: 'date-time' };
const int: JsonSchema = { type: 'integer' };
const nullableInt: JsonSchema = { type: ['integer', 'null'] };
const bool: JsonSchema = { type: 'boolean' };
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** An object schema whose listed properties are all present in answers. */
function answer(properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema {
  return { type: 'object', properties, required: Object.keys(properties), ...extra };
}

/** `{items: T[]}`, or `{items: T[], next}` for paged lists. */
export function listOf(name: string, paged: boolean): JsonSchema {
  const items = { type: 'array', items: ref(name) };
  return paged ? answer({ items, next: { type: ['string', 'integer', 'null'] } }) : answer({ items });
}

const merchant = answer({
  partner: str,
  name: str,
  md5Key: str,
  rsaPublicKey: { ...nullableStr, description: 'SPKI PEM' },
  signTypes: { type: 'array', items: { enum: [...SIGN_TYPES] } },
  currencies: { type: 'array', items: { enum: [...CURRENCIES] } },
  services: { type: 'array', items: { enum: [...SERVICES] } },
  createdAt: time,
  updatedAt: time,
});

const buyer = answer({
  userId: str,
  loginId: str,
  name: str,
  wallet: { enum: ['ALIPAYCN', 'ALIPAYHK'] },
  paymentCode: nullableStr,
  isDefault: bool,
  balances: { type: 'object', additionalProperties: str, description: 'major units per currency' },
  createdAt: time,
  updatedAt: time,
});

const refund = answer({
  partner: str,
  partnerRefundId: str,
  alipayTransId: str,
  partnerTransId: str,
  amount: str,
  amountMinor: int,
  currency: str,
  reason: nullableStr,
  isSync: bool,
  notifyUrl: nullableStr,
  createdAt: time,
});

const trade = answer(
  {
    alipayTransId: str,
    partner: str,
    partnerTransId: str,
    status: { enum: [...TRADE_STATUSES] },
    buyerUserId: str,
    currency: str,
    transCurrency: str,
    amount: { ...str, description: 'as the wire writes it' },
    refunded: str,
    amountMinor: int,
    refundedMinor: int,
    createdAt: time,
    paidAt: nullableTime,
    closedAt: nullableTime,
    expiresAt: nullableTime,
  },
  { description: 'every stored trade field; amounts also in minor units' },
);

const storedRule = answer({
  id: str,
  partner: str,
  service: str,
  name: str,
  priority: int,
  enabled: bool,
  when: { type: 'array' },
  then: { type: 'object' },
  times: nullableInt,
  hits: int,
  remaining: nullableInt,
  expiresAt: nullableTime,
  createdAt: time,
  updatedAt: time,
});

const defaultRule = answer({
  id: str,
  partner: { type: 'null' },
  service: str,
  name: str,
  priority: int,
  enabled: { ...bool, description: 'for the merchant asked about (always true without one)' },
  when: { type: 'array' },
  then: { type: 'object' },
});

const logEntry = answer({
  id: int,
  receivedAt: time,
  sandboxAt: {
    type: ['string', 'null'],
    format: 'date-time',
    description: "the merchant's sandbox time of the request; null before the merchant was known",
  },
  partner: nullableStr,
  service: nullableStr,
  method: str,
  rawQuery: str,
  rawBody: str,
  params: {
    type: 'array',
    items: answer({ name: str, value: str, source: { enum: ['query', 'body'] } }),
  },
  charset: nullableStr,
  signature: {
    type: ['object', 'null'],
    properties: { ok: bool, convention: nullableStr, signString: str },
  },
  gatewayError: nullableStr,
  resultCode: nullableStr,
  error: nullableStr,
  reason: nullableStr,
  diagnosis: { ...nullableStr, description: 'why the signature failed (ILLEGAL_SIGN only), in words' },
  ruleId: nullableStr,
  ruleName: nullableStr,
  alipayTransId: nullableStr,
  partnerTransId: nullableStr,
  outcome: str,
  responseStatus: int,
  responseBody: str,
  durationMs: { type: 'number' },
  requestId: { ...nullableStr, description: 'the X-Request-Id the gateway answered with' },
});

const explanation = answer({
  requestId: int,
  partner: nullableStr,
  service: nullableStr,
  reachedRules: { ...bool, description: 'false when the request failed the gateway checks first' },
  answeredBy: { type: ['object', 'null'], properties: { id: str, name: nullableStr } },
  candidates: {
    type: 'array',
    items: answer({
      id: str,
      name: str,
      kind: { enum: ['custom', 'default'] },
      priority: int,
      matched: bool,
      reasons: { type: 'array', items: str },
      answered: bool,
    }),
  },
});

const apiKey = answer({ id: str, partner: str, name: str, createdAt: time, lastUsedAt: nullableTime });

const problemFields = {
  type: { type: 'string', format: 'uri' },
  title: str,
  status: int,
  code: { enum: Object.keys(PROBLEM_CODES) },
  detail: str,
};
const problem: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details with a stable `code`; `errors` lists invalid fields',
  properties: { ...problemFields, errors: { type: 'array', items: answer({ field: str, message: str }) } },
  required: Object.keys(problemFields),
};

/** Every named schema of the document (components.schemas). */
export const COMPONENT_SCHEMAS: Record<string, JsonSchema> = {
  ...CHECK_COMPONENT_SCHEMAS,
  Problem: problem,
  Merchant: merchant,
  NewMerchant: fromZod(CREATE_MERCHANT_SCHEMA),
  MerchantPatch: fromZod(PATCH_MERCHANT_SCHEMA),
  Buyer: buyer,
  NewBuyer: fromZod(CREATE_BUYER_SCHEMA),
  BuyerPatch: fromZod(PATCH_BUYER_SCHEMA),
  Trade: trade,
  Refund: refund,
  TradeWithRefunds: {
    allOf: [ref('Trade'), answer({ refunds: { type: 'array', items: ref('Refund') } })],
  },
  ForceState: fromZod(FORCE_STATE_SCHEMA),
  RuleInput: fromZod(RULE_SCHEMA),
  RulePatch: { type: 'object', description: 'any fields of RuleInput; merged, then validated as a whole' },
  Rule: storedRule,
  DefaultRule: defaultRule,
  DefaultRuleSwitch: fromZod(SWITCH_SCHEMA),
  DefaultRuleSwitched: answer({ id: str, partner: str, enabled: bool }),
  RequestLogEntry: logEntry,
  Explanation: explanation,
  Count: answer({ count: int }),
  Clock: answer({ now: time, offsetMs: int, frozen: bool }),
  ClockChange: fromZod(CLOCK_CHANGE_SCHEMA),
  WalletAction: fromZod(WALLET_ACTION_SCHEMA),
  ApiKey: apiKey,
  NewApiKey: fromZod(CREATE_API_KEY_SCHEMA),
  ApiKeyWithSecret: {
    allOf: [ref('ApiKey'), answer({ secret: { ...str, description: '`amk_` + 32 base62; shown once' } })],
  },
  AlipayPublicKey: answer({ pem: str, base64: str }),
  Notification: {
    type: 'object',
    description: 'a queued or delivered notification, with `attemptLog` (oldest attempt first)',
    properties: {
      id: str,
      partner: str,
      notifyId: str,
      url: str,
      status: str,
      attemptLog: { type: 'array' },
    },
  },
};
