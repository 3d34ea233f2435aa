import { SIGN_TYPES } from '../protocol/constants.js';
import { DEMO_HK_MERCHANT, DEMO_MERCHANT } from '../demo-accounts.js';
import { createMapiClient } from '../client/mapi-client.js';
import { MapiGatewayError, MapiTransportError } from '../client/client-errors.js';
import type { MapiResult } from '../client/service-results.js';
import type { CommandOutput } from './command-output.js';
import { resolveService, withCallDefaults } from './call-defaults.js';
import { parseParamArgs, ParamArgError } from './param-args.js';
import { pickChoice } from './pick-choice.js';
import { readKeyFile } from './read-key-file.js';
import { UsageError } from './usage-error.js';
import { namedGateway, type GatewayOptions } from './gateway-option.js';
import { indentXml } from '../protocol/indent-xml.js';

/** Options of `alipay-mock call`, as commander gives them. */
export interface CallCommandOptions extends GatewayOptions {
  partner?: string;
  key?: string;
  signType?: string;
  privateKey?: string;
  alipayPublicKey?: string;
  charset: string;
  method: string;
  timeout: string;
  format: string;
}

/** How `call` prints the answer: the XML as received, indented, or its parsed fields as JSON. */
export const CALL_FORMATS = ['xml', 'pretty', 'json'] as const;
type CallFormat = (typeof CALL_FORMATS)[number];

/** The answer as `--format` asks: XML (as received or indented) then the summary line, or one JSON object. */
function printAnswer(
  out: CommandOutput,
  format: CallFormat,
  answer: { xml: string; json: Record<string, unknown>; summary: string },
): void {
  if (format === 'json') out.stdout(`${JSON.stringify(answer.json, null, 2)}\n`);
  else out.stdout(`${format === 'pretty' ? indentXml(answer.xml) : answer.xml}\n${answer.summary}\n`);
}

/** Default gateway of `call`: a sandbox started with `alipay-mock serve`. */
export const DEFAULT_CALL_GATEWAY = 'http://127.0.0.1:8080/gateway.do';

/**
 * `alipay-mock call`: signs and sends one request with the client, prints the decoded XML answer and a
 * summary line. Exit code 0 for any answer (also `is_success=F`), 1 when no answer arrived.
 */
export async function callCommand(
  serviceName: string,
  args: readonly string[],
  opts: CallCommandOptions,
  out: CommandOutput,
): Promise<number> {
  if (serviceName.startsWith('-')) throw new UsageError('name the service first: call <service> [params…]');
  const service = resolveService(serviceName);
  const format = pickChoice(opts.format, CALL_FORMATS, '--format');
  const partner = opts.partner ?? DEMO_MERCHANT.partner;
  const signType = pickChoice(opts.signType ?? (opts.privateKey ? 'RSA2' : 'MD5'), SIGN_TYPES, '--sign-type');
  const key = opts.key ?? demoKeyOf(partner);
  if (signType === 'MD5' && key === undefined) throw new UsageError(`--key is needed for partner ${partner}`);
  const given = readParams(args);
  const params = withCallDefaults(service, given, partner, new Date());
  // Made-up ids are needed for the next call (query, refund, cancel): say them apart from the XML.
  for (const name of ['partner_trans_id', 'partner_refund_id']) {
    if (given[name] === undefined && params[name] !== undefined)
      out.stderr(`generated ${name}=${params[name]}\n`);
  }

  const gateway = namedGateway(opts, out) ?? DEFAULT_CALL_GATEWAY;
  const client = createClient(opts, gateway, partner, signType, key);
  try {
    const result = await client.call(service, params);
    const { xml, request, ...parsed } = result;
    printAnswer(out, format, { xml, json: { isSuccess: 'T', ...parsed, request }, summary: summary(result) });
    return 0;
  } catch (err) {
    if (err instanceof MapiGatewayError) {
      printAnswer(out, format, {
        xml: err.xml,
        json: { isSuccess: 'F', error: err.code, request: err.request },
        summary: `is_success: F, error: ${err.code} | response signature: not checked`,
      });
      return 0;
    }
    if (err instanceof MapiTransportError) {
      const body = err.body === undefined ? '' : `\n${err.body.slice(0, 2000)}`;
      out.stderr(`alipay-mock: no answer (${err.kind}): ${err.message}${body}\n`);
      return 1;
    }
    throw err;
  } finally {
    client.close();
  }
}

function createClient(
  opts: CallCommandOptions,
  gateway: string,
  partner: string,
  signType: (typeof SIGN_TYPES)[number],
  key?: string,
) {
  const timeoutMs = Number(opts.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw new UsageError('--timeout must be a positive number of ms');
  try {
    return createMapiClient({
      gateway,
      partner,
      signType,
      charset: pickChoice(opts.charset, ['UTF-8', 'GBK'] as const, '--charset'),
      method: pickChoice(opts.method, ['GET', 'POST'] as const, '--method'),
      timeoutMs,
      ...(key === undefined ? {} : { key }),
      ...(opts.privateKey === undefined ? {} : { privateKey: readKeyFile(opts.privateKey, '--private-key') }),
      ...(opts.alipayPublicKey === undefined
        ? {}
        : { alipayPublicKey: readKeyFile(opts.alipayPublicKey, '--alipay-public-key') }),
    });
  } catch (err) {
    if (err instanceof TypeError) throw new UsageError(err.message);
    throw err;
  }
}

/** `result_code: SUCCESS | response signature: verified`, with the business error when there is one. */
export function summary(result: MapiResult): string {
  const code = `result_code: ${result.resultCode || '(none)'}${result.error ? `, error: ${result.error}` : ''}`;
  const signature =
    result.signatureVerified === null
      ? 'not checked'
      : result.signatureVerified
        ? 'verified'
        : 'NOT VERIFIED';
  return `${code} | response signature: ${signature}`;
}

/** The demo merchants' keys are public (README "Demo accounts"), so they need not be typed. */
function demoKeyOf(partner: string): string | undefined {
  return [DEMO_MERCHANT, DEMO_HK_MERCHANT].find((m) => m.partner === partner)?.md5Key;
}

function readParams(args: readonly string[]): Record<string, string> {
  try {
    return Object.fromEntries(parseParamArgs(args));
  } catch (err) {
    if (err instanceof ParamArgError) throw new UsageError(err.message);
    throw err;
  }
}

/** Help text after the options: how parameters are written, defaults, exit codes. */
export const CALL_HELP = `
Service: a full name, or pay, cancel, refund, query.
Parameters: name=value operands, or any option the command does not know (--name value,
--name=value; dashes become underscores). An empty value (--biz_product=) is not sent.
Defaults: the demo merchant and its key; pay fills partner_trans_id (new), trans_name,
currency USD, trans_amount 0.01, buyer_identity_code 280000000000000001, identity_code_type,
biz_product and alipay_seller_id; cancel fills timestamp (now, ms); refund fills
partner_refund_id (new), currency USD, is_sync Y.
Prints the decoded XML answer (--format pretty: indented), then: result_code / error and whether
the answer's signature verified; --format json prints one JSON object instead: isSuccess,
resultCode, error, fields (the business fields), signatureVerified, request (what was sent).
Exit 0 for any answer (is_success=F included), 1 when no answer arrived.
Gateway: --gateway, else the environment variable ALIPAY_MOCK_GATEWAY, else a local sandbox.
Guides: README "CLI", docs/client.md.

Examples:
  alipay-mock call pay --trans_amount 12.50
  alipay-mock call query partner_trans_id=CLI202611261200001234
  alipay-mock call refund --partner_trans_id CLI202611261200001234 --refund_amount 2.50
  alipay-mock call cancel --out_trade_no CLI202611261200001234 --method GET
  alipay-mock call pay --format json --gateway http://sandbox.test:8080/gateway.do
`;
