import { createPublicKey } from 'node:crypto';
import { CHARSETS, SIGN_TYPES, type Charset, type SignType } from '../protocol/constants.js';
import { encodeForm } from '../protocol/form-encode.js';
import {
  buildSignString,
  hexEqual,
  md5Sign,
  normalizeRsaPrivateKey,
  normalizeRsaPublicKey,
  rsaVerify,
} from '../protocol/sign.js';
import { createRequestSigner } from '../client/request-signer.js';
import type { CommandOutput } from './command-output.js';
import { parseParamArgs, ParamArgError } from './param-args.js';
import { readKeyFile } from './read-key-file.js';
import { pickChoice } from './pick-choice.js';
import { UsageError } from './usage-error.js';

/** Options of `alipay-mock sign`, as commander gives them. */
export interface SignCommandOptions {
  key?: string;
  privateKey?: string;
  publicKey?: string;
  signType?: string;
  charset?: string;
  verify?: string;
}

/**
 * `alipay-mock sign`: prints the canonical string to sign (docs/reference/alipay-mapi-protocol.md §9.3), the signature and the
 * signed query string; with `--verify` checks a given signature instead. Returns the exit code.
 */
export function signCommand(args: readonly string[], opts: SignCommandOptions, out: CommandOutput): number {
  const params = readParams(args);
  const charset = pickChoice(opts.charset ?? 'UTF-8', CHARSETS, '--charset');
  const signType = pickChoice(opts.signType ?? (opts.privateKey ? 'RSA2' : 'MD5'), SIGN_TYPES, '--sign-type');
  const signString = buildSignString(params.map(([name, value]) => ({ name, value })));
  if (opts.verify !== undefined) return verify(signString, opts.verify, signType, charset, opts, out);

  const signer = signerOf(signType, charset, opts);
  const { sign } = signer.sign(Object.fromEntries(params));
  const query = encodeForm([...params, ['sign', sign], ['sign_type', signType]], charset);
  out.stdout(
    [
      `string to sign  ${signString}`,
      `sign_type       ${signType}`,
      `sign            ${sign}`,
      `signed query    ${query}`,
    ]
      .map((line) => `${line}\n`)
      .join(''),
  );
  return 0;
}

function verify(
  signString: string,
  signature: string,
  signType: SignType,
  charset: Charset,
  opts: SignCommandOptions,
  out: CommandOutput,
): number {
  let ok: boolean;
  let expected = '';
  if (signType === 'MD5') {
    if (!opts.key) throw new UsageError('MD5 needs --key <md5 key>');
    expected = md5Sign(signString, opts.key, charset);
    ok = hexEqual(expected, signature);
  } else {
    ok = rsaVerify(signString, signature, publicKeyOf(opts), signType, charset);
  }
  if (ok) {
    out.stdout(`signature OK (${signType}, ${charset})\nstring to sign  ${signString}\n`);
    return 0;
  }
  out.stderr(
    `signature does NOT match (${signType}, ${charset})\nstring to sign  ${signString}\n` +
      (expected ? `expected sign   ${expected}\n` : ''),
  );
  return 1;
}

function readParams(args: readonly string[]): Array<[string, string]> {
  let params: Array<[string, string]>;
  try {
    params = parseParamArgs(args);
  } catch (err) {
    if (err instanceof ParamArgError) throw new UsageError(err.message);
    throw err;
  }
  const seen = new Set<string>();
  for (const [name] of params) {
    if (seen.has(name)) throw new UsageError(`parameter ${name} is given twice`);
    seen.add(name);
  }
  if (params.length === 0) throw new UsageError('give the parameters to sign as name=value');
  return params;
}

function signerOf(signType: SignType, charset: Charset, opts: SignCommandOptions) {
  if (signType === 'MD5' && !opts.key) throw new UsageError('MD5 needs --key <md5 key>');
  if (signType !== 'MD5' && !opts.privateKey) throw new UsageError(`${signType} needs --private-key <file>`);
  try {
    return createRequestSigner({
      signType,
      charset,
      key: opts.key,
      privateKey: opts.privateKey === undefined ? undefined : readKeyFile(opts.privateKey, '--private-key'),
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** Verifying RSA needs the public key: --public-key, or the one derived from --private-key. */
function publicKeyOf(opts: SignCommandOptions): string {
  if (opts.publicKey) {
    const pem = normalizeRsaPublicKey(readKeyFile(opts.publicKey, '--public-key'));
    if (pem === null) throw new UsageError(`${opts.publicKey} is not an RSA public key`);
    return pem;
  }
  if (opts.privateKey) {
    const pem = normalizeRsaPrivateKey(readKeyFile(opts.privateKey, '--private-key'));
    if (pem === null) throw new UsageError(`${opts.privateKey} is not an RSA private key`);
    return createPublicKey(pem).export({ type: 'spki', format: 'pem' }) as string;
  }
  throw new UsageError('verifying RSA / RSA2 needs --public-key <file> (or --private-key <file>)');
}

/** Help text after the options. */
export const SIGN_HELP = `
Parameters are name=value operands, signed exactly as given (add _input_charset yourself if the
request carries it). MD5 with --key; RSA / RSA2 with --private-key (RSA2 is the default then).

Examples:
  alipay-mock sign service=alipay.acquire.overseas.query partner=2088101122136241 \\
    _input_charset=utf-8 partner_trans_id=P1 --key 760bdzec6y9goq7ctyx96ezkz78287de
  alipay-mock sign partner=123 service=test --key <key> --verify bbd13b52823b576291595f472ebcfbc2
`;
