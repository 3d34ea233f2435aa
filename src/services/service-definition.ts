import type { TradeEvents } from '../ledger/trade-events.js';
import type { LedgerStore } from '../ledger/ledger-store.js';
import type { ServiceName } from '../protocol/constants.js';
import type { LedgerPolicy } from '../ledger/trade-lifecycle.js';
import type { RateTable } from '../ledger/rates.js';
import type { Merchant, TradeResolution } from '../ledger/model.js';
import type { ResponseFields } from '../ledger/trade-fields.js';

/** What a service needs besides the request. */
export interface ServiceDeps {
  store: LedgerStore;
  policy: LedgerPolicy;
  rates: RateTable;
  /** Queues asynchronous notifications in the ledger transactions; none are sent without it. */
  notifications?: TradeEvents | undefined;
}

/** Outcome of checking a service's parameters (docs/reference/alipay-mapi-protocol.md §9.7 steps 7 and 8). */
export type ParamCheck<T> =
  | { ok: true; value: T }
  /** Malformed or missing parameter: a gateway-level `ILLEGAL_ARGUMENT` envelope. */
  | { ok: false; kind: 'gateway'; reason: string }
  /** Well-formed but not acceptable: a business failure with this `error` code. */
  | { ok: false; kind: 'business'; error: string; reason: string };

/** What a service's run produced, for the envelope and the request log. */
export interface ServiceResult {
  fields: ResponseFields;
  /** The trade the request concerned, when one was found or created. */
  alipayTransId?: string | undefined;
}

/** One MAPI service: how its parameters are checked and what it does to the ledger. */
export interface ServiceDefinition<T = unknown> {
  name: ServiceName;
  /** Checks the decoded parameters (empty values already removed). */
  parse(params: Readonly<Record<string, string>>, merchant: Merchant): ParamCheck<T>;
  /** The business failure fields for an error code, in this service's spelling (§15). */
  failure(params: Readonly<Record<string, string>>, error: string): ResponseFields;
  /** `origin` is how the caller reached the sandbox (`http://host:port`): QR codes point back to it. */
  run(deps: ServiceDeps, merchant: Merchant, input: T, now: Date, origin?: string): Promise<ServiceResult>;
  /**
   * Parks a new trade as WAIT_BUYER_PAY for a mock rule with effect "pending" (docs/rules.md); only
   * services that create trades have it. A repeat of the request replays the parked trade.
   */
  runPending?(
    deps: ServiceDeps,
    merchant: Merchant,
    input: T,
    now: Date,
    resolution: TradeResolution | null,
    origin?: string,
  ): Promise<ServiceResult>;
}

/** Types a service definition; method parameters are bivariant, so every definition fits the registry. */
export function defineService<T>(def: ServiceDefinition<T>): ServiceDefinition {
  return def;
}
