import { randomUUID } from 'node:crypto';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPublicKey } from 'node:crypto';
import { createMapiClient } from '../client/mapi-client.js';
import { MapiGatewayError, MapiTransportError } from '../client/client-errors.js';
import { normalizeRsaPrivateKey, normalizeRsaPublicKey, rsaSign, rsaVerify } from '../protocol/sign.js';
import { generateRsaKeyPair, pemBody } from '../toolkit/rsa-key-pair.js';
import type { CommandOutput } from './command-output.js';
import { readKeyFile } from './read-key-file.js';
import { UsageError } from './usage-error.js';
import { namedGateway, type GatewayOptions } from './gateway-option.js';

/** Options of `alipay-mock keys generate`. */
export interface KeysGenerateOptions {
  outDir: string;
  bits: string;
  force?: boolean;
}

/** Options of `alipay-mock keys check`. */
export interface KeysCheckOptions extends GatewayOptions {
  private: string;
  public: string;
  partner?: string;
}

/** The files `keys generate` writes, what each holds, and which are secret. */
const FILES = [
  { name: 'private.pem', secret: true, what: 'private key, PKCS#8 PEM: signs your requests, keep it secret' },
  { name: 'public.pem', secret: false, what: 'public key, X.509 SubjectPublicKeyInfo PEM' },
  {
    name: 'private-base64.txt',
    secret: true,
    what: 'the private key as bare Base64 (PKCS#8 DER), as Alipay tools write it',
  },
  {
    name: 'public-base64.txt',
    secret: false,
    what: 'the public key as bare Base64: what you upload (rsaPublicKey)',
  },
] as const;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * `alipay-mock keys generate`: a merchant RSA key pair in the forms Alipay's portals and SDKs use.
 * Refuses to overwrite existing files unless --force. Returns the exit code.
 */
export async function keysGenerateCommand(opts: KeysGenerateOptions, out: CommandOutput): Promise<number> {
  const bits = Number(opts.bits);
  if (!Number.isInteger(bits) || bits < 1024 || bits > 8192 || bits % 8 !== 0) {
    throw new UsageError('--bits must be a whole number of bits from 1024 to 8192 (Alipay uses 2048)');
  }
  const paths = FILES.map((f) => join(opts.outDir, f.name));
  if (!opts.force) {
    const taken = [];
    for (const p of paths) if (await exists(p)) taken.push(p);
    if (taken.length > 0)
      throw new UsageError(`${taken.join(', ')} already exist(s); use --force to replace`);
  }
  const pair = await generateRsaKeyPair(bits);
  const contents = [
    pair.privateKeyPem,
    pair.publicKeyPem,
    `${pemBody(pair.privateKeyPem)}\n`,
    `${pemBody(pair.publicKeyPem)}\n`,
  ];
  await mkdir(opts.outDir, { recursive: true });
  for (const [i, f] of FILES.entries()) {
    await writeFile(paths[i] ?? f.name, contents[i] ?? '', { mode: f.secret ? 0o600 : 0o644 });
    out.stdout(`wrote ${(paths[i] ?? f.name).padEnd(Math.max(...paths.map((p) => p.length)))}  ${f.what}\n`);
  }
  out.stdout(`\n${bits}-bit RSA key pair. Public key (Base64):\n${pemBody(pair.publicKeyPem)}\n`);
  return 0;
}

/** One line of the check report. */
function report(out: CommandOutput, ok: boolean, text: string): boolean {
  (ok ? out.stdout : out.stderr)(`${ok ? 'OK  ' : 'FAIL'} ${text}\n`);
  return ok;
}

/** The gateway URL of a sandbox base URL or of a gateway URL. */
function gatewayOf(url: string): string {
  return /\/gateway\.do$/.test(new URL(url).pathname) ? url : `${url.replace(/\/+$/, '')}/gateway.do`;
}

/** Asks the gateway to verify a request signed with the private key (a query of a made-up trade). */
async function checkWithGateway(
  out: CommandOutput,
  gatewayUrl: string,
  partner: string,
  privateKeyPem: string,
): Promise<boolean> {
  const client = createMapiClient({
    gateway: gatewayOf(gatewayUrl),
    partner,
    signType: 'RSA2',
    privateKey: privateKeyPem,
    timeoutMs: 10_000,
  });
  try {
    const answer = await client.query({ partnerTransId: `KEYCHECK-${randomUUID()}` });
    return report(
      out,
      true,
      `the gateway accepts RSA2 signatures of this key for partner ${partner} (it answered ${answer.resultCode}${answer.error ? `/${answer.error}` : ''})`,
    );
  } catch (err) {
    if (err instanceof MapiGatewayError) {
      const why: Record<string, string> = {
        ILLEGAL_SIGN: 'the public key the gateway has for this partner is not the one of this private key',
        ILLEGAL_SECURITY_PROFILE: 'no RSA public key is uploaded for this partner',
        ILLEGAL_SIGN_TYPE: 'RSA2 is not enabled for this partner',
        ILLEGAL_PARTNER: 'the gateway does not know this partner',
      };
      return report(
        out,
        false,
        `the gateway refused the signed request: ${err.code} (${why[err.code] ?? 'see the gateway error'})`,
      );
    }
    if (err instanceof MapiTransportError)
      return report(out, false, `no answer from ${gatewayOf(gatewayUrl)}: ${err.message}`);
    throw err;
  } finally {
    client.close();
  }
}

/**
 * `alipay-mock keys check`: the private key is readable, the public key is one the sandbox accepts,
 * they belong together (RSA and RSA2 sign + verify), and with --partner the gateway (--gateway or
 * ALIPAY_MOCK_GATEWAY) verifies a request signed with the private key. Exit 0 when everything holds, 1 when not.
 */
export async function keysCheckCommand(opts: KeysCheckOptions, out: CommandOutput): Promise<number> {
  const gateway = namedGateway(opts, out);
  if ((opts.gateway ?? opts.gatewayUrl) !== undefined && opts.partner === undefined) {
    throw new UsageError('--gateway needs --partner: the merchant the gateway checks the signature for');
  }
  if (opts.partner !== undefined && gateway === undefined) {
    throw new UsageError('--partner needs a gateway: --gateway <url> or ALIPAY_MOCK_GATEWAY');
  }
  const privateKeyPem = normalizeRsaPrivateKey(readKeyFile(opts.private, '--private'));
  const publicKeyPem = normalizeRsaPublicKey(readKeyFile(opts.public, '--public'));
  let ok = report(
    out,
    privateKeyPem !== null,
    `${opts.private}: ${privateKeyPem ? 'an RSA private key (PKCS#8 / PKCS#1 PEM or Base64)' : 'not an unencrypted RSA private key'}`,
  );
  ok =
    report(
      out,
      publicKeyPem !== null,
      `${opts.public}: ${publicKeyPem ? 'an RSA public key the sandbox accepts as rsaPublicKey' : 'not an RSA public key (PEM or bare Base64 X.509)'}`,
    ) && ok;
  if (privateKeyPem === null || publicKeyPem === null) return 1;

  const bits = createPublicKey(publicKeyPem).asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) out.stderr(`note: ${bits}-bit key; Alipay's gateways expect 2048 bits\n`);
  const probe = `alipay-mock key check ${randomUUID()}`;
  const pairs = (['RSA', 'RSA2'] as const).every((type) =>
    rsaVerify(probe, rsaSign(probe, privateKeyPem, type, 'UTF-8'), publicKeyPem, type, 'UTF-8'),
  );
  ok =
    report(
      out,
      pairs,
      pairs
        ? 'the two keys belong together (RSA and RSA2 signatures verify)'
        : 'the keys do NOT belong together: a signature of the private key does not verify with the public key',
    ) && ok;
  if (gateway !== undefined && opts.partner !== undefined) {
    ok = (await checkWithGateway(out, gateway, opts.partner, privateKeyPem)) && ok;
  }
  return ok ? 0 : 1;
}
