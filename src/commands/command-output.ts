/** Where a command writes; the process streams in the CLI, buffers in tests. */
export interface CommandOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * A reader that stops early (`alipay-mock rules export | head`) closes the pipe: what is left has no
 * one to read it, so the command ends there, quietly and with success, as Unix tools do, instead of
 * with Node's stack trace for an unhandled EPIPE. Only the commands that print through
 * PROCESS_OUTPUT watch for it; `serve` keeps running whoever reads its banner.
 */
function endWhenReaderLeaves(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
}

let watchingStdout = false;

/** The process's own stdout and stderr. */
export const PROCESS_OUTPUT: CommandOutput = {
  stdout: (text) => {
    if (!watchingStdout) {
      watchingStdout = true;
      process.stdout.on('error', endWhenReaderLeaves);
    }
    process.stdout.write(text);
  },
  stderr: (text) => process.stderr.write(text),
};
