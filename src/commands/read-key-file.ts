import { readFileSync } from 'node:fs';
import { UsageError } from './usage-error.js';

/** Reads a PEM / Base64 key file named on the command line; a missing file is a usage error, not a crash. */
export function readKeyFile(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`${flag} ${path}: ${(err as NodeJS.ErrnoException).code ?? 'cannot read'}`);
  }
}
