/** Loading of the shared test vectors (test/fixtures/vectors), from the source or the compiled tree. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of test/fixtures/vectors, found by walking up to the package root. */
export const VECTORS_DIR = join(
  packageRoot(dirname(fileURLToPath(import.meta.url))),
  'test/fixtures/vectors',
);

/** One signed GET URL of md5-signed-url-vectors.json. */
export interface Md5UrlVector {
  test: string;
  service: string;
  url: string;
  sign_string_without_key: string;
  expected_sign: string;
}

/** The md5-signed-url-vectors.json file. */
export interface Md5UrlVectorFile {
  partner: string;
  md5_key: string;
  vectors: Md5UrlVector[];
}

/** One line of the *-client-requests.jsonl files (fields documented in the vectors README). */
export interface ClientRequestRecord {
  client: string;
  method: string;
  path: string;
  raw_query: string;
  raw_body: string;
  params: Record<string, string>;
  charset_used: string;
  sign_check: string;
  sign_string_drop_empty: string;
}

/** Reads md5-signed-url-vectors.json. */
export function loadMd5UrlVectors(): Md5UrlVectorFile {
  return JSON.parse(
    readFileSync(join(VECTORS_DIR, 'md5-signed-url-vectors.json'), 'utf8'),
  ) as Md5UrlVectorFile;
}

/** Reads every record of the four recorded client-request files, labelled with their file. */
export function loadClientRequests(): Array<{ file: string; index: number; record: ClientRequestRecord }> {
  const out: Array<{ file: string; index: number; record: ClientRequestRecord }> = [];
  for (const lib of ['php', 'node', 'ruby', 'python']) {
    const file = `${lib}-client-requests.jsonl`;
    const lines = readFileSync(join(VECTORS_DIR, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    lines.forEach((line, index) =>
      out.push({ file, index, record: JSON.parse(line) as ClientRequestRecord }),
    );
  }
  return out;
}

function packageRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}
