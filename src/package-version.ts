import { createRequire } from 'node:module';

/**
 * The version of the installed alipay-mock package, read from its package.json when asked (the
 * package refers to itself by name, so this holds in a checkout and in node_modules alike).
 */
export function packageVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('alipay-mock/package.json') as { version: string }).version;
}
