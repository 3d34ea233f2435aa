import { z } from 'zod';
import { PROBLEM_CODES, type ProblemCode } from './problem.js';
import { COMPONENT_SCHEMAS, listOf, type JsonSchema } from './openapi-schemas.js';
import { REQUEST_LOG_FILTER } from './request-log-routes.js';
import { TRADE_LIST_QUERY } from './trade-routes.js';

/** An OpenAPI 3.1 parameter (path or query). */
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

/** An OpenAPI 3.1 response: a description and, unless empty, a JSON or problem+json body. */
export interface OpenApiResponse {
  description: string;
  content?: Record<string, { schema: JsonSchema }>;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

/** One operation: a method on a path. `x-operator-only`: merchant API keys get 403. */
export interface OpenApiOperation {
  operationId: string;
  summary: string;
  tags: string[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: true; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, OpenApiResponse | { $ref: string }>;
  'x-operator-only'?: true;
}

/** HTTP methods the admin API uses, as OpenAPI spells them. */
export type OpenApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The OpenAPI 3.1 document of the admin API. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: {
    title: string;
    version: string;
    description: string;
    license: { name: string; identifier: string };
  };
  servers: Array<{ url: string; description: string }>;
  security: Array<Record<string, string[]>>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Partial<Record<OpenApiMethod, OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, OpenApiResponse>;
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; description: string }>;
  };
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

/** Every call can be refused for its credentials, or fail. */
const ALWAYS: ProblemCode[] = ['unauthorized', 'forbidden', 'too_many_requests', 'internal_error'];
/** What reading a JSON body can go wrong with. */
const BODY: ProblemCode[] = ['invalid_request', 'unsupported_media_type', 'payload_too_large'];

const path = (name: string, description: string): OpenApiParameter => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: name === 'partner' ? { type: 'string', pattern: '^\\d{16}$' } : { type: 'string' },
});
const PARTNER = path('partner', 'merchant PID; a merchant API key may only name its own');
const partnerQuery: OpenApiParameter = {
  name: 'partner',
  in: 'query',
  required: false,
  description: 'only this merchant; a merchant API key is always limited to its own',
  schema: { type: 'string' },
};

/** Query parameters from a zod object schema, one per key. */
function queryOf(schema: z.ZodObject): OpenApiParameter[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const { $schema: _dialect, ...fieldSchema } = z.toJSONSchema(field as z.ZodType, {
      io: 'input',
      unrepresentable: 'any',
    });
    return { name, in: 'query', required: false, schema: fieldSchema };
  });
}

interface OperationSpec {
  id: string;
  summary: string;
  tag: string;
  params?: OpenApiParameter[];
  /** Name of the request body schema in components. */
  body?: string;
  /** Success status and the answer's schema (null: no body). */
  ok: [number, JsonSchema | null];
  /** Problem codes beyond ALWAYS (and BODY when there is a body). */
  errors?: ProblemCode[];
  operatorOnly?: boolean;
}

function operation(spec: OperationSpec): OpenApiOperation {
  const [status, schema] = spec.ok;
  const codes = new Set<ProblemCode>([...ALWAYS, ...(spec.body ? BODY : []), ...(spec.errors ?? [])]);
  const responses: OpenApiOperation['responses'] = {
    [String(status)]:
      schema === null ? { description: 'done, no body' } : { description: 'success', content: json(schema) },
  };
  for (const code of codes)
    responses[String(PROBLEM_CODES[code])] = { $ref: `#/components/responses/${code}` };
  return {
    operationId: spec.id,
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.params ? { parameters: spec.params } : {}),
    ...(spec.body ? { requestBody: { required: true, content: json(ref(spec.body)) } } : {}),
    responses,
    ...(spec.operatorOnly ? { 'x-operator-only': true } : {}),
  };
}

/** The operation with its success answer as application/xml instead of JSON. */
function xmlAnswer(op: OpenApiOperation): OpenApiOperation {
  return {
    ...op,
    responses: {
      ...op.responses,
      '200': { description: 'JUnit XML', content: { 'application/xml': { schema: { type: 'string' } } } },
    },
  };
}

const PROBLEM_RESPONSES = Object.fromEntries(
  Object.keys(PROBLEM_CODES).map((code) => [
    code,
    {
      description: code.replace(/_/g, ' '),
      content: { 'application/problem+json': { schema: ref('Problem') } },
    },
  ]),
);

const RULE_ID = path('id', 'rule id');
const NOTIFICATION_QUERY: OpenApiParameter[] = [
  { name: 'status', in: 'query', required: false, schema: { type: 'string' } },
  { name: 'tradeId', in: 'query', required: false, schema: { type: 'string', maxLength: 64 } },
  { name: 'notifyId', in: 'query', required: false, schema: { type: 'string', maxLength: 64 } },
  { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500 } },
];
const paths: OpenApiDocument['paths'] = {
  '/api/merchants': {
    get: operation({
      id: 'listMerchants',
      summary: 'List merchants (a merchant key: its own)',
      tag: 'merchants',
      ok: [200, listOf('Merchant', false)],
    }),
    post: operation({
      id: 'createMerchant',
      summary: 'Create a merchant',
      tag: 'merchants',
      body: 'NewMerchant',
      ok: [201, ref('Merchant')],
      errors: ['conflict'],
      operatorOnly: true,
    }),
  },
  '/api/merchants/{partner}': {
    get: operation({
      id: 'getMerchant',
      summary: 'Read a merchant',
      tag: 'merchants',
      params: [PARTNER],
      ok: [200, ref('Merchant')],
      errors: ['invalid_request', 'not_found'],
    }),
    patch: operation({
      id: 'updateMerchant',
      summary: 'Change a merchant (keys, sign types, currencies, services)',
      tag: 'merchants',
      params: [PARTNER],
      body: 'MerchantPatch',
      ok: [200, ref('Merchant')],
      errors: ['not_found'],
    }),
    delete: operation({
      id: 'deleteMerchant',
      summary: 'Delete a merchant and its API keys; trades stay',
      tag: 'merchants',
      params: [PARTNER],
      ok: [204, null],
      errors: ['invalid_request', 'not_found'],
      operatorOnly: true,
    }),
  },
  '/api/merchants/{partner}/api-keys': {
    get: operation({
      id: 'listApiKeys',
      summary: 'List a merchant’s API keys (never the secrets)',
      tag: 'api-keys',
      params: [PARTNER],
      ok: [200, listOf('ApiKey', false)],
      errors: ['invalid_request'],
    }),
    post: operation({
      id: 'createApiKey',
      summary: 'Create an API key; the secret is in this answer only',
      tag: 'api-keys',
      params: [PARTNER],
      body: 'NewApiKey',
      ok: [201, ref('ApiKeyWithSecret')],
      errors: ['not_found'],
      operatorOnly: true,
    }),
  },
  '/api/merchants/{partner}/api-keys/{id}': {
    delete: operation({
      id: 'deleteApiKey',
      summary: 'Revoke an API key',
      tag: 'api-keys',
      params: [PARTNER, path('id', 'API key id')],
      ok: [204, null],
      errors: ['invalid_request', 'not_found'],
    }),
  },
  '/api/merchants/{partner}/trades/{id}': {
    get: operation({
      id: 'getTrade',
      summary: 'Read a trade with its refunds',
      tag: 'trades',
      params: [PARTNER, path('id', 'alipay_trans_id or partner_trans_id')],
      ok: [200, ref('TradeWithRefunds')],
      errors: ['invalid_request', 'not_found'],
    }),
  },
  '/api/merchants/{partner}/trades/{id}/state': {
    post: operation({
      id: 'forceTradeState',
      summary: 'Force a trade’s status (paying debits the buyer)',
      tag: 'trades',
      params: [PARTNER, path('id', 'alipay_trans_id or partner_trans_id')],
      body: 'ForceState',
      ok: [200, ref('Trade')],
      errors: ['not_found', 'conflict'],
    }),
  },
  '/api/merchants/{partner}/default-rules/{id}': {
    put: operation({
      id: 'switchDefaultRule',
      summary: 'Switch one default rule on or off for one merchant',
      tag: 'rules',
      params: [PARTNER, path('id', 'default rule id')],
      body: 'DefaultRuleSwitch',
      ok: [200, ref('DefaultRuleSwitched')],
      errors: ['not_found'],
    }),
  },
  '/api/merchants/{partner}/clock': {
    get: operation({
      id: 'getClock',
      summary: 'Read the merchant’s sandbox clock',
      tag: 'sandbox',
      params: [PARTNER],
      ok: [200, ref('Clock')],
      errors: ['invalid_request', 'not_found'],
    }),
    post: operation({
      id: 'changeClock',
      summary: 'Set, advance, freeze or unfreeze the clock',
      tag: 'sandbox',
      params: [PARTNER],
      body: 'ClockChange',
      ok: [200, ref('Clock')],
      errors: ['not_found'],
    }),
    delete: operation({
      id: 'resetClock',
      summary: 'Back to real time',
      tag: 'sandbox',
      params: [PARTNER],
      ok: [200, ref('Clock')],
      errors: ['invalid_request', 'not_found'],
    }),
  },
  '/api/wallet/pay': {
    post: operation({
      id: 'walletPay',
      summary:
        'A sandbox buyer pays an order QR code, or an amount by a merchant QR code (default buyer unless named)',
      tag: 'sandbox',
      body: 'WalletAction',
      ok: [200, ref('Trade')],
      errors: ['invalid_request', 'not_found', 'conflict'],
    }),
  },
  '/api/wallet/decline': {
    post: operation({
      id: 'walletDecline',
      summary: 'A buyer scans the code and backs out: the order keeps waiting, with its buyer',
      tag: 'sandbox',
      body: 'WalletAction',
      ok: [200, ref('Trade')],
      errors: ['invalid_request', 'not_found', 'conflict'],
    }),
  },
  '/api/wallet/expire': {
    post: operation({
      id: 'walletExpire',
      summary: 'Nobody pays: the order closes now as at its timeout',
      tag: 'sandbox',
      body: 'WalletAction',
      ok: [200, ref('Trade')],
      errors: ['invalid_request', 'not_found', 'conflict'],
    }),
  },
  '/api/merchants/{partner}/reset': {
    post: operation({
      id: 'resetMerchant',
      summary: 'Forget the merchant’s trades, refunds, rules, switches, clock and log',
      tag: 'sandbox',
      params: [PARTNER],
      ok: [204, null],
      errors: ['invalid_request', 'not_found'],
    }),
  },
  '/api/merchants/{partner}/notifications': {
    get: operation({
      id: 'listNotifications',
      summary: 'The merchant’s asynchronous notifications, newest first, with their attempts',
      tag: 'notifications',
      params: [PARTNER, ...NOTIFICATION_QUERY],
      ok: [200, listOf('Notification', false)],
      errors: ['invalid_request'],
    }),
  },
  '/api/merchants/{partner}/notifications/{id}': {
    get: operation({
      id: 'getNotification',
      summary: 'One notification with its attempts',
      tag: 'notifications',
      params: [PARTNER, path('id', 'notification id')],
      ok: [200, ref('Notification')],
      errors: ['invalid_request', 'not_found'],
    }),
  },
  '/api/merchants/{partner}/notifications/{id}/resend': {
    post: operation({
      id: 'resendNotification',
      summary: 'Send a notification again now',
      tag: 'notifications',
      params: [PARTNER, path('id', 'notification id')],
      ok: [202, ref('Notification')],
      errors: ['invalid_request', 'not_found'],
    }),
  },
  '/api/buyers': {
    get: operation({
      id: 'listBuyers',
      summary: 'List buyers (shared by every merchant)',
      tag: 'buyers',
      ok: [200, listOf('Buyer', false)],
    }),
    post: operation({
      id: 'createBuyer',
      summary: 'Create a buyer',
      tag: 'buyers',
      body: 'NewBuyer',
      ok: [201, ref('Buyer')],
      errors: ['conflict'],
      operatorOnly: true,
    }),
  },
  '/api/buyers/{userId}': {
    get: operation({
      id: 'getBuyer',
      summary: 'Read a buyer',
      tag: 'buyers',
      params: [path('userId', 'buyer user id')],
      ok: [200, ref('Buyer')],
      errors: ['not_found'],
    }),
    patch: operation({
      id: 'updateBuyer',
      summary: 'Change a buyer (balances replace all)',
      tag: 'buyers',
      params: [path('userId', 'buyer user id')],
      body: 'BuyerPatch',
      ok: [200, ref('Buyer')],
      errors: ['not_found', 'conflict'],
      operatorOnly: true,
    }),
    delete: operation({
      id: 'deleteBuyer',
      summary: 'Delete a buyer',
      tag: 'buyers',
      params: [path('userId', 'buyer user id')],
      ok: [204, null],
      errors: ['not_found'],
      operatorOnly: true,
    }),
  },
  '/api/trades': {
    get: operation({
      id: 'listTrades',
      summary: 'List trades, newest first',
      tag: 'trades',
      params: queryOf(TRADE_LIST_QUERY),
      ok: [200, listOf('Trade', true)],
      errors: ['invalid_request'],
    }),
  },
  '/api/rules': {
    get: operation({
      id: 'listRules',
      summary: 'List custom rules with hits and remaining',
      tag: 'rules',
      params: [partnerQuery],
      ok: [200, listOf('Rule', false)],
    }),
    post: operation({
      id: 'createRule',
      summary: 'Create a custom rule (a merchant key: for itself only)',
      tag: 'rules',
      body: 'RuleInput',
      ok: [201, ref('Rule')],
      errors: ['conflict'],
    }),
  },
  '/api/rules/{id}': {
    get: operation({
      id: 'getRule',
      summary: 'Read a rule',
      tag: 'rules',
      params: [RULE_ID],
      ok: [200, ref('Rule')],
      errors: ['not_found'],
    }),
    put: operation({
      id: 'replaceRule',
      summary: 'Replace a rule (id and partner stay)',
      tag: 'rules',
      params: [RULE_ID],
      body: 'RuleInput',
      ok: [200, ref('Rule')],
      errors: ['not_found'],
    }),
    patch: operation({
      id: 'patchRule',
      summary: 'Merge fields into a rule',
      tag: 'rules',
      params: [RULE_ID],
      body: 'RulePatch',
      ok: [200, ref('Rule')],
      errors: ['not_found'],
    }),
    delete: operation({
      id: 'deleteRule',
      summary: 'Delete a rule',
      tag: 'rules',
      params: [RULE_ID],
      ok: [204, null],
      errors: ['not_found'],
    }),
  },
  '/api/rules/{id}/enable': {
    post: operation({
      id: 'enableRule',
      summary: 'Enable a rule',
      tag: 'rules',
      params: [RULE_ID],
      ok: [200, ref('Rule')],
      errors: ['not_found'],
    }),
  },
  '/api/rules/{id}/disable': {
    post: operation({
      id: 'disableRule',
      summary: 'Disable a rule',
      tag: 'rules',
      params: [RULE_ID],
      ok: [200, ref('Rule')],
      errors: ['not_found'],
    }),
  },
  '/api/rules/{id}/reset': {
    post: operation({
      id: 'resetRule',
      summary: 'Zero a rule’s hits and sequence progress',
      tag: 'rules',
      params: [RULE_ID],
      ok: [200, ref('Rule')],
      errors: ['not_found'],
    }),
  },
  '/api/default-rules': {
    get: operation({
      id: 'listDefaultRules',
      summary: 'The built-in default rules, `enabled` for a merchant',
      tag: 'rules',
      params: [partnerQuery],
      ok: [200, listOf('DefaultRule', false)],
    }),
  },
  '/api/requests': {
    get: operation({
      id: 'listRequests',
      summary: 'The gateway request log, newest first',
      tag: 'requests',
      params: queryOf(REQUEST_LOG_FILTER),
      ok: [200, listOf('RequestLogEntry', true)],
      errors: ['invalid_request'],
    }),
  },
  '/api/requests/count': {
    get: operation({
      id: 'countRequests',
      summary: 'How many logged requests match',
      tag: 'requests',
      params: queryOf(REQUEST_LOG_FILTER),
      ok: [200, ref('Count')],
      errors: ['invalid_request'],
    }),
  },
  '/api/requests/{id}': {
    get: operation({
      id: 'getRequest',
      summary: 'One logged request, with the signature diagnosis',
      tag: 'requests',
      params: [path('id', 'log entry id')],
      ok: [200, ref('RequestLogEntry')],
      errors: ['not_found'],
    }),
  },
  '/api/requests/{id}/explain': {
    get: operation({
      id: 'explainRequest',
      summary: 'Why each candidate rule did or did not match (rules as they are now)',
      tag: 'requests',
      params: [path('id', 'log entry id')],
      ok: [200, ref('Explanation')],
      errors: ['not_found'],
    }),
  },
  '/api/alipay-public-key': {
    get: operation({
      id: 'getAlipayPublicKey',
      summary: 'The key that verifies RSA/RSA2 answers',
      tag: 'sandbox',
      ok: [200, ref('AlipayPublicKey')],
    }),
  },
  '/api/check-scenarios': {
    get: operation({
      id: 'listCheckScenarios',
      summary: 'The integration check’s scenarios: prefix, what is armed, what the POS should do',
      tag: 'check',
      ok: [200, listOf('CheckScenario', false)],
    }),
  },
  '/api/merchants/{partner}/check-runs': {
    get: operation({
      id: 'listCheckRuns',
      summary: 'A merchant’s check runs, newest first',
      tag: 'check',
      params: [PARTNER],
      ok: [200, listOf('CheckRun', false)],
      errors: ['invalid_request'],
    }),
    post: operation({
      id: 'startCheckRun',
      summary: 'Start a check run: arm its scenarios by partner_trans_id prefix',
      tag: 'check',
      params: [PARTNER],
      body: 'NewCheckRun',
      ok: [201, ref('CheckRun')],
      errors: ['not_found', 'conflict'],
    }),
  },
  '/api/merchants/{partner}/check-runs/{id}': {
    get: operation({
      id: 'getCheckRun',
      summary: 'A check run with its report (judged now while it runs)',
      tag: 'check',
      params: [PARTNER, path('id', 'check run id')],
      ok: [200, ref('CheckRun')],
      errors: ['invalid_request', 'not_found'],
    }),
  },
  '/api/merchants/{partner}/check-runs/{id}/junit': {
    get: xmlAnswer(
      operation({
        id: 'getCheckRunJunit',
        summary: 'The report as JUnit XML: a test case per scenario',
        tag: 'check',
        params: [PARTNER, path('id', 'check run id')],
        ok: [200, { type: 'string' }],
        errors: ['invalid_request', 'not_found'],
      }),
    ),
  },
  '/api/merchants/{partner}/check-runs/{id}/end': {
    post: operation({
      id: 'endCheckRun',
      summary: 'End a check run: store its report and disarm its rules',
      tag: 'check',
      params: [PARTNER, path('id', 'check run id')],
      ok: [200, ref('CheckRun')],
      errors: ['invalid_request', 'not_found', 'conflict'],
    }),
  },
  '/api/openapi.json': {
    get: operation({
      id: 'getOpenApi',
      summary: 'This document',
      tag: 'sandbox',
      ok: [200, { type: 'object' }],
    }),
  },
};

/** The admin API described for client generators and people (docs/admin-api.md is the prose). */
export const OPENAPI_DOCUMENT: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'alipay-mock admin API',
    version: '1',
    description:
      'Merchants, buyers, trades, mock rules, request log, clock and reset of the alipay-mock sandbox. ' +
      'Errors are application/problem+json with a stable `code`.',
    license: { name: 'MIT', identifier: 'MIT' },
  },
  // Paths start with /api, so a server is a sandbox's origin. "/" is relative to where this document
  // was fetched: generated clients then call the sandbox that served it.
  servers: [
    { url: '/', description: 'the sandbox that serves this document' },
    { url: 'http://127.0.0.1:8080', description: 'a local `alipay-mock serve` on its default port' },
  ],
  security: [{ bearer: [] }],
  tags: [
    { name: 'merchants', description: 'sandbox merchant accounts' },
    { name: 'api-keys', description: 'per-merchant keys for this API' },
    { name: 'buyers', description: 'sandbox buyers, shared by every merchant' },
    { name: 'trades', description: 'the ledger' },
    { name: 'rules', description: 'custom mock rules and default-rule switches' },
    { name: 'requests', description: 'the gateway request log' },
    { name: 'notifications', description: 'asynchronous notifications to notify_url' },
    { name: 'sandbox', description: 'clock, reset, keys' },
    { name: 'check', description: 'the integration check: scenarios, runs, reports' },
  ],
  paths,
  components: {
    schemas: COMPONENT_SCHEMAS,
    responses: PROBLEM_RESPONSES,
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description:
          'The admin token (operator), or a merchant API key `amk_…` (that merchant only). Without a ' +
          'configured admin token, loopback callers are the operator without a header.',
      },
    },
  },
};
