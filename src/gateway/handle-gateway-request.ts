import { NOTIFY_VERIFY_SERVICE, SIGN_TYPES, type SignType } from '../protocol/constants.js';
import { normalizeCharset } from '../protocol/charset.js';
import { decodeParams, findAscii, wireParams, type RawParam } from '../protocol/form-decode.js';
import { verifyRequestSignature } from '../protocol/verify-request.js';
import { diagnoseSignature } from '../protocol/diagnose-signature.js';
import type { GatewayErrorCode } from '../protocol/gateway-errors.js';
import type { Merchant } from '../ledger/model.js';
import type { Clock } from '../clock.js';
import { sandboxNow } from '../ledger/sandbox-clock.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceDeps, ServiceResult } from '../services/service-definition.js';
import type { RuleEngine } from '../rules/rule-engine.js';
import { pickDelayMs } from '../rules/pick-delay.js';
import { applyRule, type RuleResult } from './apply-rule.js';
import { breakReply } from './broken-reply.js';
import type { TransportFault } from './transport-fault.js';
import { SERVICE_REGISTRY } from './service-registry.js';
import type { GatewayOutcome } from './gateway-outcome.js';
import type { AlipayKeys } from '../protocol/alipay-keys.js';
import { renderReply, type GatewayReply } from './render-reply.js';
import { answerNotifyVerify, type NotifyVerifier } from './answer-notify-verify.js';

/** Everything the gateway pipeline depends on. */
export interface GatewayDeps extends ServiceDeps {
  alipayKeys: AlipayKeys;
  rules: RuleEngine;
  /** The process clock; a merchant's sandbox time is this moved by the clock stored with it. */
  clock: Clock;
  maxParams: number;
  /** Answers `service=notify_verify` (docs/reference/alipay-mapi-protocol.md §12); without it that service is unknown. */
  verifyNotifyId?: NotifyVerifier | undefined;
}

/** The raw HTTP request as the edge received it. */
export interface GatewayRequest {
  method: string;
  rawQuery: string;
  body: Buffer;
  contentType: string | undefined;
  /** `http://host:port` as the client addressed the sandbox; QR code URLs point back to it. */
  origin?: string | undefined;
  /**
   * Called before a hang or delay rule holds the request open: false when too many are held
   * (held-connections.ts), and the request is then answered at once with SYSTEM_ERROR.
   */
  hold?: ((partner: string) => boolean) | undefined;
}

const KNOWN_SIGN_TYPES: ReadonlySet<string> = new Set(SIGN_TYPES);
const FORM_TYPE = /^application\/x-www-form-urlencoded/i;
const CHARSET_PARAM = /;\s*charset=["']?([\w-]+)/i;

/**
 * The gateway pipeline, top to bottom (docs/architecture.md §3, docs/reference/alipay-mapi-protocol.md §9.7): decode,
 * gateway checks in the documented order, signature, service parameters, the service, render.
 * Every failure is an early return in the protocol's own envelope; it never throws for bad input.
 */
export async function handleGatewayRequest(
  deps: GatewayDeps,
  req: GatewayRequest,
): Promise<{ reply: GatewayReply; outcome: GatewayOutcome; transport?: TransportFault | undefined }> {
  const started = performance.now();
  const outcome: GatewayOutcome = {
    receivedAt: new Date(),
    method: req.method,
    rawQuery: req.rawQuery,
    rawBody: req.body.toString('latin1'),
    service: undefined,
    partner: undefined,
    charset: undefined,
    params: [],
    durationMs: 0,
  };
  const fail = (code: GatewayErrorCode, reason: string) => {
    outcome.gatewayError = code;
    outcome.reason = reason;
    outcome.durationMs = performance.now() - started;
    return { reply: renderReply.error(code), outcome };
  };

  if (req.method !== 'GET' && req.method !== 'POST')
    return fail('ILLEGAL_ARGUMENT', `method ${req.method} not allowed`);
  const raw = collectParams(req, outcome.rawBody, deps.maxParams);
  if (!raw.ok) return fail('ILLEGAL_ARGUMENT', raw.reason);

  const service = findAscii(raw.params, 'service');
  outcome.service = service;
  // Not one of the four services: unsigned, plain text, before any gateway check (§12).
  if (service === NOTIFY_VERIFY_SERVICE && deps.verifyNotifyId) {
    const reply = await answerNotifyVerify(deps.verifyNotifyId, raw.params, outcome);
    outcome.durationMs = performance.now() - started;
    return { reply, outcome };
  }
  const definition = service === undefined ? undefined : SERVICE_REGISTRY.get(service);
  if (!definition)
    return fail('ILLEGAL_SERVICE', service ? `unknown service ${service}` : 'service is missing');

  const partner = findAscii(raw.params, 'partner');
  outcome.partner = partner;
  // The merchant's own clock comes in the same statement; its time is taken once, for the rules, the
  // service and the request log (the integration check judges time limits on it).
  const found = partner ? await deps.store.getMerchantWithClock(partner) : undefined;
  if (!found) return fail('ILLEGAL_PARTNER', partner ? `unknown partner ${partner}` : 'partner is missing');
  const { merchant } = found;
  const now = sandboxNow(deps.clock, found.clock);
  outcome.sandboxAt = now;

  const charsetName =
    findAscii(raw.params, '_input_charset') ?? CHARSET_PARAM.exec(req.contentType ?? '')?.[1];
  const charset = normalizeCharset(charsetName);
  if (!charset) return fail('ILLEGAL_CHARSET', `unsupported _input_charset ${charsetName ?? ''}`);
  outcome.charset = charset;

  const signTypeCheck = checkSignType(merchant, findAscii(raw.params, 'sign_type'));
  if (!signTypeCheck.ok) return fail(signTypeCheck.code, signTypeCheck.reason);
  const { signType } = signTypeCheck;

  if (!merchant.services.includes(definition.name)) {
    return fail(
      'ILLEGAL_PARTNER_EXTERFACE',
      `${definition.name} is not enabled for partner ${merchant.partner}`,
    );
  }

  const params = decodeParams(raw.params, charset);
  outcome.params = params;
  outcome.paramsFromWire = true;
  const sign = params.find((p) => p.name === 'sign')?.value ?? '';
  const verdict = verifyRequestSignature({
    params,
    signType,
    sign,
    charset,
    md5Key: merchant.md5Key,
    rsaPublicKeyPem: merchant.rsaPublicKey,
  });
  outcome.signature = verdict;
  if (!verdict.ok) {
    // Only refused requests pay for the diagnosis (it recomputes MD5 over a few dozen variants).
    outcome.diagnosis = diagnoseSignature({
      params: raw.params,
      wire: { query: outcome.rawQuery, body: outcome.rawBody },
      charset,
      signType,
      md5Key: merchant.md5Key,
      rsaPublicKeyPem: merchant.rsaPublicKey,
    }).message;
    return fail('ILLEGAL_SIGN', sign ? 'signature does not verify' : 'sign is missing');
  }

  // Empty values count as absent for validation, as they do for signing (§9.3).
  const values: Record<string, string> = {};
  for (const p of params) if (p.value !== '') values[p.name] = p.value;
  const checked = definition.parse(values, merchant);
  if (!checked.ok && checked.kind === 'gateway') return fail('ILLEGAL_ARGUMENT', checked.reason);
  let result: ServiceResult;
  let ruled: RuleResult | undefined;
  if (!checked.ok) {
    outcome.reason = checked.reason;
    result = { fields: definition.failure(values, checked.error) };
  } else {
    const decision = await deps.rules.decide(merchant.partner, definition.name, values, now);
    if (decision) {
      outcome.ruleId = decision.ruleId;
      outcome.ruleName = decision.ruleName;
      const delay = 'delay' in decision.outcome ? decision.outcome.delay : undefined;
      const hangs = decision.outcome.type === 'fault' && decision.outcome.fault === 'hang';
      // Like an overloaded gateway: nothing done, outcome unknown to the client, which queries.
      if ((delay !== undefined || hangs) && req.hold?.(merchant.partner) === false)
        return fail('SYSTEM_ERROR', 'too many requests held open by hang and delay rules');
      if (delay) await sleep(pickDelayMs(delay));
      ruled = await applyRule(decision, {
        deps,
        merchant,
        definition,
        input: checked.value,
        params: values,
        now,
        origin: req.origin,
      });
      if (ruled.kind === 'gateway_error') return fail(ruled.code, `rule "${decision.ruleName}"`);
      result = ruled.result;
    } else {
      result = await definition.run(deps, merchant, checked.value, now, req.origin);
    }
  }
  const { fields } = result;
  outcome.alipayTransId = result.alipayTransId;
  outcome.resultCode = fields.result_code;
  outcome.businessError = fields.error ?? fields.detail_error_code;
  let reply = renderReply.success({
    request: params,
    fields,
    merchant,
    signType,
    charset,
    keys: deps.alipayKeys,
  });
  if (ruled?.kind === 'answer' && ruled.broken)
    reply = breakReply(reply, ruled.broken.kind, ruled.broken.status);
  const transport = ruled?.kind === 'answer' ? ruled.transport : undefined;
  outcome.transport = transport?.kind;
  outcome.durationMs = performance.now() - started;
  return { reply, outcome, transport };
}

function collectParams(
  req: GatewayRequest,
  rawBody: string,
  maxParams: number,
): { ok: true; params: RawParam[] } | { ok: false; reason: string } {
  // A body is form data when declared so, or when undeclared (some clients omit the header).
  const isForm = req.contentType === undefined || FORM_TYPE.test(req.contentType);
  if (req.body.length > 0 && !isForm)
    return { ok: false, reason: `unsupported content type ${req.contentType}` };
  return wireParams(req.rawQuery, rawBody, maxParams);
}

/** The request's sign_type when it is known, enabled for the merchant and backed by a key; else why not. */
function checkSignType(
  merchant: Merchant,
  signType: string | undefined,
): { ok: true; signType: SignType } | { ok: false; code: GatewayErrorCode; reason: string } {
  if (!isSignType(signType)) {
    return {
      ok: false,
      code: 'ILLEGAL_SIGN_TYPE',
      reason: `sign_type must be MD5, RSA or RSA2, got ${signType ?? 'nothing'}`,
    };
  }
  if (!merchant.signTypes.includes(signType)) {
    return {
      ok: false,
      code: 'ILLEGAL_SIGN_TYPE',
      reason: `sign_type ${signType} is not enabled for this merchant`,
    };
  }
  if (signType !== 'MD5' && !merchant.rsaPublicKey) {
    return {
      ok: false,
      code: 'ILLEGAL_SECURITY_PROFILE',
      reason: 'no RSA public key uploaded for this merchant',
    };
  }
  return { ok: true, signType };
}

function isSignType(value: string | undefined): value is SignType {
  return value !== undefined && KNOWN_SIGN_TYPES.has(value);
}
