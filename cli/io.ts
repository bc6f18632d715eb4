/** Where a command reads its environment and writes its output (the process's, in the bin). */
export interface Io {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

export function processIo(): Io {
  return { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr };
}

/** Writes lines (each followed by a newline). */
export function writeLines(stream: NodeJS.WritableStream, lines: readonly string[]): void {
  if (lines.length) stream.write(`${lines.join("\n")}\n`);
}
