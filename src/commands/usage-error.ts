/** A command-line mistake (bad flag value, missing key): the CLI prints it and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
