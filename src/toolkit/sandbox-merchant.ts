import { randomInt } from 'node:crypto';
import { generateMd5Key } from '../admin/merchant-routes.js';
import { CURRENCIES, SERVICES, SIGN_TYPES, type SignType } from '../protocol/constants.js';
import { normalizeRsaPrivateKey, normalizeRsaPublicKey } from '../protocol/sign.js';
import { StoreConflictError } from '../ports/store-conflict-error.js';
import type { Store } from '../storage/store.js';
import type { RsaKeyPair } from './rsa-key-pair.js';

/** What a test may fix about its sandbox's merchant; everything else is fresh. */
export interface SandboxMerchantOptions {
  /** 16 digits; default a random `2088…` id. */
  partner?: string;
  name?: string;
  /** Default: a fresh 32-character key. */
  md5Key?: string;
  /** Default all: MD5, RSA, RSA2. */
  signTypes?: SignType[];
  /** Default every currency. */
  currencies?: string[];
  /** Your own RSA key pair (PEM or bare Base64); default one generated for the process. */
  rsaPrivateKey?: string;
  rsaPublicKey?: string;
}

/** The sandbox's merchant: everything a client needs to sign requests and verify answers. */
export interface SandboxMerchant {
  partner: string;
  name: string;
  md5Key: string;
  signTypes: SignType[];
  /** The merchant's RSA private key (PKCS#8 PEM): signs RSA / RSA2 requests. */
  rsaPrivateKey: string;
  /** Its public key (SPKI PEM), uploaded to the sandbox. */
  rsaPublicKey: string;
  /** The sandbox's "Alipay" public key (SPKI PEM): verifies RSA answers and RSA-signed notifications. */
  alipayPublicKey: string;
}

function randomPartner(): string {
  return `2088${String(randomInt(0, 1e12)).padStart(12, '0')}`;
}

function ownKeys(opts: SandboxMerchantOptions, generated: RsaKeyPair): RsaKeyPair {
  if (opts.rsaPrivateKey === undefined && opts.rsaPublicKey === undefined) return generated;
  const privateKeyPem = opts.rsaPrivateKey === undefined ? null : normalizeRsaPrivateKey(opts.rsaPrivateKey);
  const publicKeyPem = opts.rsaPublicKey === undefined ? null : normalizeRsaPublicKey(opts.rsaPublicKey);
  if (privateKeyPem === null || publicKeyPem === null) {
    throw new TypeError(
      'merchant.rsaPrivateKey and merchant.rsaPublicKey must be given together, as RSA keys',
    );
  }
  return { privateKeyPem, publicKeyPem };
}

/** Creates the sandbox's merchant in the store (a random partner id is drawn again on a clash). */
export async function createSandboxMerchant(
  store: Store,
  opts: SandboxMerchantOptions,
  generated: RsaKeyPair,
  alipayPublicKeyPem: string,
): Promise<SandboxMerchant> {
  const pair = ownKeys(opts, generated);
  for (let attempt = 0; ; attempt++) {
    const partner = opts.partner ?? randomPartner();
    try {
      const created = await store.createMerchant({
        partner,
        name: opts.name ?? `Test merchant ${partner}`,
        md5Key: opts.md5Key ?? generateMd5Key(),
        rsaPublicKey: pair.publicKeyPem,
        signTypes: opts.signTypes ?? [...SIGN_TYPES],
        currencies: opts.currencies ?? [...CURRENCIES],
        services: [...SERVICES],
      });
      return {
        partner: created.partner,
        name: created.name,
        md5Key: created.md5Key,
        signTypes: created.signTypes,
        rsaPrivateKey: pair.privateKeyPem,
        rsaPublicKey: pair.publicKeyPem,
        alipayPublicKey: alipayPublicKeyPem,
      };
    } catch (err) {
      if (!(err instanceof StoreConflictError) || opts.partner !== undefined || attempt >= 5) throw err;
    }
  }
}
