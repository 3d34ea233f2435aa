/** Public API of the alipay-mock package. */
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
