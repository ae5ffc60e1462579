// Where command output goes. Commands never touch process.* directly, so tests can run main() in-process
// and capture both streams.

/** Writes one line (a newline is appended); multi-line text is allowed. */
export type LineWriter = (text: string) => void;

export interface CliIo {
  readonly stdout: LineWriter;
  readonly stderr: LineWriter;
  /** Writes text as is (no newline): file contents sent to stdout with `-`. */
  readonly stdoutRaw: (text: string) => void;
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    stdoutRaw: (text) => process.stdout.write(text),
  };
}
