/**
 * Request parameters from the command line, in either spelling: `name=value` operands, or options
 * the command does not know (`--name value`, `--name=value`). Order is kept: it is the wire order.
 */
export function parseParamArgs(args: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq > 2) {
        out.push([paramName(arg.slice(2, eq)), arg.slice(eq + 1)]);
        continue;
      }
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new ParamArgError(`${arg} needs a value (write ${arg}= for an empty one)`);
      }
      out.push([paramName(arg.slice(2)), value]);
      i++;
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new ParamArgError(`"${arg}" is not a parameter: write name=value or --name value`);
    out.push([arg.slice(0, eq), arg.slice(eq + 1)]);
  }
  return out;
}

/** A command-line parameter that cannot be read; the CLI reports it as a usage error. */
export class ParamArgError extends Error {
  override readonly name = 'ParamArgError';
}

// Option style invites `--trans-amount`; MAPI names never contain '-', so it can only mean '_'.
function paramName(option: string): string {
  return option.replace(/-/g, '_');
}
