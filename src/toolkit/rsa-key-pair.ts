import { generateKeyPair } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { normalizeRsaPrivateKey, normalizeRsaPublicKey } from '../protocol/sign.js';

/** An RSA key pair as merchants and Alipay exchange them: PKCS#8 and X.509 SPKI PEM. */
export interface RsaKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

const generate = promisify(generateKeyPair);

/** Generates an RSA key pair off the main thread (2048 bits take about half a second). */
export async function generateRsaKeyPair(bits = 2048): Promise<RsaKeyPair> {
  const { privateKey, publicKey } = await generate('rsa', {
    modulusLength: bits,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** The bare Base64 body of a PEM, as the Alipay portals show keys. */
export function pemBody(pem: string): string {
  return pem.replace(/-----[^-]+-----|\s/g, '');
}

/** The two key pairs an in-process sandbox needs: its merchant's and its "Alipay". */
export interface SandboxKeyPairs {
  merchant: RsaKeyPair;
  alipay: RsaKeyPair;
}

/** Where generated sandbox keys are kept between processes: a per-user file in the temp folder. */
export function defaultKeyCacheFile(): string {
  const uid = typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
  return join(tmpdir(), `alipay-mock-${uid}`, 'sandbox-keys-v1.json');
}

function isPair(value: unknown): value is RsaKeyPair {
  const p = value as Partial<RsaKeyPair> | null;
  return (
    typeof p?.privateKeyPem === 'string' &&
    typeof p.publicKeyPem === 'string' &&
    normalizeRsaPrivateKey(p.privateKeyPem) !== null &&
    normalizeRsaPublicKey(p.publicKeyPem) !== null
  );
}

async function readCache(file: string): Promise<SandboxKeyPairs | undefined> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as Partial<SandboxKeyPairs>;
    return isPair(data.merchant) && isPair(data.alipay)
      ? { merchant: data.merchant, alipay: data.alipay }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that cannot be written only costs the next process a key generation. */
async function writeCache(file: string, pairs: SandboxKeyPairs): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(pairs), { mode: 0o600 });
    await rename(temp, file);
  } catch {
    // read-only or missing temp folder: keep going without the cache
  }
}

async function loadOrGenerate(cacheFile: string | null): Promise<SandboxKeyPairs> {
  const cached = cacheFile === null ? undefined : await readCache(cacheFile);
  if (cached) return cached;
  const [merchant, alipay] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const pairs = { merchant, alipay };
  if (cacheFile !== null) await writeCache(cacheFile, pairs);
  return pairs;
}

const inProcess = new Map<string, Promise<SandboxKeyPairs>>();

/**
 * The key pairs in-process sandboxes use. 2048-bit RSA generation takes from half a second to
 * seconds, so the pairs are generated once and shared: by every sandbox of the process, and through
 * `cacheFile` (null: no file) by later processes of the same user, so a test file's first sandbox
 * starts fast too. These are sandbox keys, not secrets; the file is readable by its owner only.
 */
export function sandboxKeyPairs(cacheFile: string | null = defaultKeyCacheFile()): Promise<SandboxKeyPairs> {
  const key = cacheFile ?? '';
  let pairs = inProcess.get(key);
  if (pairs === undefined) {
    pairs = loadOrGenerate(cacheFile);
    inProcess.set(key, pairs);
    pairs.catch(() => inProcess.delete(key));
  }
  return pairs;
}
