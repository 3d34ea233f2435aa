import type { SignConvention } from '../protocol/verify-request.js';
import type { RequestParam } from '../protocol/form-decode.js';

/** What happened to one gateway request: the material of the request log and of metrics. */
export interface GatewayOutcome {
  receivedAt: Date;
  /** The merchant's sandbox time of the request (src/ledger/sandbox-clock.ts), once the merchant is known. */
  sandboxAt?: Date | undefined;
  method: string;
  rawQuery: string;
  rawBody: string;
  service: string | undefined;
  partner: string | undefined;
  charset: string | undefined;
  params: RequestParam[];
  /** True when `params` are rawQuery and rawBody decoded with `charset` (wireParams, decodeParams). */
  paramsFromWire?: boolean | undefined;
  /** Present once the signature was checked. */
  signature?: { ok: boolean; convention: SignConvention | null; signString: string };
  /** Gateway-level error code (`is_success=F`), if any. */
  gatewayError?: string | undefined;
  /** Why the gateway refused or why a business check failed, in words. */
  reason?: string | undefined;
  /** For ILLEGAL_SIGN: the likely reason the signature failed (src/protocol/diagnose-signature.ts). */
  diagnosis?: string | undefined;
  resultCode?: string | undefined;
  businessError?: string | undefined;
  alipayTransId?: string | undefined;
  ruleId?: string | undefined;
  ruleName?: string | undefined;
  /** The transport fault a rule applied, if any. */
  transport?: string | undefined;
  /** The request's id, sent back as `X-Request-Id` (set by the route, which knows it). */
  requestId?: string | undefined;
  durationMs: number;
}
