/** Public API of the alipay-mock package. */
import type { Sandbox, StartSandboxOptions } from './toolkit/start-sandbox.js';
export { createMapiClient, MAPI_SERVICES } from './client/mapi-client.js';
export type { MapiClient, MapiClientOptions } from './client/mapi-client.js';
export {
  MapiGatewayError,
  MapiSignatureError,
  MapiTransportError,
  TRANSPORT_ERROR_KINDS,
} from './client/client-errors.js';
export type { TransportErrorKind } from './client/client-errors.js';
export type {
  CancelInput,
  ExtraParams,
  QueryInput,
  SpotPayInput,
  SpotRefundInput,
} from './client/service-inputs.js';
export type {
  CancelResult,
  CancelView,
  MapiResult,
  OpenUnion,
  QueryResult,
  QueryView,
  SpotPayResult,
  SpotPayView,
  SpotRefundResult,
  SpotRefundView,
} from './client/service-results.js';
export { verifyNotificationSignature } from './client/verify-notification.js';
export type { NotificationVerifier } from './client/verify-notification.js';
export type {
  Sandbox,
  SandboxClockControl,
  SandboxTrade,
  StartSandboxOptions,
} from './toolkit/start-sandbox.js';
export type { SandboxMerchant, SandboxMerchantOptions } from './toolkit/sandbox-merchant.js';
export type { SandboxRuleInput, SandboxRules } from './toolkit/sandbox-rules.js';
export type { SandboxCheck } from './toolkit/sandbox-check.js';
export type { CheckRun } from './check/check-run-store.js';
export type { AmountKey, CheckKeying } from './check/check-scenario.js';
export type { CheckStatus, CheckVerdict, EvidenceItem } from './check/check-verdict.js';
export { CHECK_SCENARIOS } from './check/check-scenarios.js';
export type { LoggedRequest, RequestFilter, SandboxRequests } from './toolkit/sandbox-requests.js';
export { SandboxWalletError } from './toolkit/sandbox-wallet.js';
export type { SandboxWallet, WalletActionOptions } from './toolkit/sandbox-wallet.js';
export type {
  NotificationFilterInput,
  ReceivedNotification,
  SandboxNotification,
  SandboxNotifications,
  WaitUntil,
} from './toolkit/sandbox-notifications.js';

/**
 * Starts an in-process sandbox for a test suite (docs/testing.md). The server's modules (Fastify,
 * the SQLite driver) load on the first call, so importing the client alone stays light.
 */
export async function startSandbox(options?: StartSandboxOptions): Promise<Sandbox> {
  const { startSandbox: start } = await import('./toolkit/start-sandbox.js');
  return start(options);
}
