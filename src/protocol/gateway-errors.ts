/**
 * Gateway-level error codes, answered as `<is_success>F</is_success><error>CODE</error>`
 * (docs/reference/alipay-mapi-protocol.md §9.6). Business errors (`result_code` + `error` inside `<response>`) live elsewhere.
 */

/** Every gateway error code listed in docs/reference/alipay-mapi-protocol.md §9.6, in the order of that table. */
export const GATEWAY_ERROR_CODES = [
  'ILLEGAL_SIGN',
  'ILLEGAL_DYN_MD5_KEY',
  'ILLEGAL_ENCRYPT',
  'ILLEGAL_ARGUMENT',
  'ILLEGAL_SERVICE',
  'ILLEGAL_USER',
  'ILLEGAL_PARTNER',
  'ILLEGAL_EXTERFACE',
  'ILLEGAL_PARTNER_EXTERFACE',
  'ILLEGAL_SECURITY_PROFILE',
  'ILLEGAL_AGENT',
  'ILLEGAL_SIGN_TYPE',
  'ILLEGAL_CHARSET',
  'INVALID_CHARACTER_SET',
  'HAS_NO_PRIVILEGE',
  'ILLEGAL_CLIENT_IP',
  'ILLEGAL_DIGEST_TYPE',
  'ILLEGAL_DIGEST',
  'ILLEGAL_FILE_FORMAT',
  'ILLEGAL_ENCODING',
  'ILLEGAL_REQUEST_REFERER',
  'ILLEGAL_ANTI_PHISHING_KEY',
  'ANTI_PHISHING_KEY_TIMEOUT',
  'ILLEGAL_EXTER_INVOKE_IP',
  'SESSION_TIMEOUT',
  'ILLEGAL_TARGET_SERVICE',
  'ILLEGAL_ACCESS_SWITCH_SYSTEM',
  'EXTERFACE_IS_CLOSED',
  'SYSTEM_ERROR',
] as const;

/** One gateway error code of docs/reference/alipay-mapi-protocol.md §9.6. */
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

/** One English line per gateway error code, for the request log, the console and the docs. */
export const GATEWAY_ERROR_DESCRIPTIONS: Record<GatewayErrorCode, string> = {
  ILLEGAL_SIGN: 'The signature does not verify.',
  ILLEGAL_DYN_MD5_KEY: 'The dynamic MD5 key is invalid.',
  ILLEGAL_ENCRYPT: 'The encrypted content is invalid.',
  ILLEGAL_ARGUMENT: 'A parameter is malformed or illegal.',
  ILLEGAL_SERVICE: 'The service name is wrong or unknown.',
  ILLEGAL_USER: 'The user id is wrong.',
  ILLEGAL_PARTNER: 'The partner id is wrong or unknown.',
  ILLEGAL_EXTERFACE: 'The interface configuration is wrong.',
  ILLEGAL_PARTNER_EXTERFACE: 'The partner has not been opened (signed up) for this interface.',
  ILLEGAL_SECURITY_PROFILE: 'No key is configured for the requested sign type.',
  ILLEGAL_AGENT: 'The agent id is wrong.',
  ILLEGAL_SIGN_TYPE: 'The sign type is not supported.',
  ILLEGAL_CHARSET: 'The charset is not allowed.',
  INVALID_CHARACTER_SET: 'The charset is invalid.',
  HAS_NO_PRIVILEGE: 'The partner has no access right to this service.',
  ILLEGAL_CLIENT_IP: "The caller's IP address is not allowed.",
  ILLEGAL_DIGEST_TYPE: 'The file digest type is not supported.',
  ILLEGAL_DIGEST: 'The file digest does not match.',
  ILLEGAL_FILE_FORMAT: 'The file format is illegal.',
  ILLEGAL_ENCODING: 'The encoding is illegal.',
  ILLEGAL_REQUEST_REFERER: 'The request referer is not allowed (page-redirect services).',
  ILLEGAL_ANTI_PHISHING_KEY: 'The anti-phishing key is invalid (page-redirect services).',
  ANTI_PHISHING_KEY_TIMEOUT: 'The anti-phishing key has expired (page-redirect services).',
  ILLEGAL_EXTER_INVOKE_IP: 'The invoking IP address is not allowed (page-redirect services).',
  SESSION_TIMEOUT: 'The session has expired.',
  ILLEGAL_TARGET_SERVICE: 'The target service is wrong.',
  ILLEGAL_ACCESS_SWITCH_SYSTEM: 'The partner may not access this system.',
  EXTERFACE_IS_CLOSED: 'The interface is closed.',
  SYSTEM_ERROR: 'System error; normally a business error, possibly also a gateway code.',
};
