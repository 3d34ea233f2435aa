/**
 * The three ways a MAPI call fails, as classes a caller can tell apart with `instanceof`:
 * the gateway refused the call, the exchange itself broke, or (on request) the answer's signature failed.
 */

/** The gateway answered `is_success=F` (docs/reference/alipay-mapi-protocol.md §9.6): nothing was processed. */
export class MapiGatewayError extends Error {
  override readonly name = 'MapiGatewayError';
  /** The gateway error code, e.g. `ILLEGAL_SIGN`, `ILLEGAL_PARTNER`. */
  readonly code: string;
  /** The decoded XML answer. */
  readonly xml: string;
  /** The parameters that were sent, `sign` included. */
  readonly request: Record<string, string>;

  constructor(code: string, xml: string, request: Record<string, string>) {
    super(`gateway refused the call: ${code}`);
    this.code = code;
    this.xml = xml;
    this.request = request;
  }
}

/** Why an exchange failed below the protocol. */
export const TRANSPORT_ERROR_KINDS = ['timeout', 'network', 'http-status', 'html', 'not-xml'] as const;
/** One of TRANSPORT_ERROR_KINDS. */
export type TransportErrorKind = (typeof TRANSPORT_ERROR_KINDS)[number];

/**
 * No usable answer: timeout, connection refused or reset, an HTTP status other than 200, an HTML page
 * or a body that is not a MAPI XML envelope. The outcome of a pay or refund is then unknown, so the
 * merchant must query (docs/reference/alipay-mapi-protocol.md §7.5).
 */
export class MapiTransportError extends Error {
  override readonly name = 'MapiTransportError';
  /** What went wrong. */
  readonly kind: TransportErrorKind;
  /** The HTTP status, when an answer arrived. */
  readonly status: number | undefined;
  /** The decoded body, when an answer arrived. */
  readonly body: string | undefined;

  constructor(
    kind: TransportErrorKind,
    message: string,
    details: { status?: number; body?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.status = details.status;
    this.body = details.body;
  }
}

/** Thrown only with `strictSignature: true`: the answer's signature is missing or does not verify. */
export class MapiSignatureError extends Error {
  override readonly name = 'MapiSignatureError';
  /** The decoded XML answer. */
  readonly xml: string;

  constructor(message: string, xml: string) {
    super(message);
    this.xml = xml;
  }
}
