/**
 * Colors for the command's output: on only when writing to a terminal and NO_COLOR is not
 * set (https://no-color.org: any non-empty value turns color off). FORCE_COLOR=1 forces them on.
 */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const same = (text: string) => text;

export function createStyle(enabled: boolean): Style {
  if (!enabled) return { enabled, bold: same, dim: same, red: same, green: same, yellow: same, cyan: same };
  return { enabled, bold: ansi(1, 22), dim: ansi(2, 22), red: ansi(31, 39), green: ansi(32, 39), yellow: ansi(33, 39), cyan: ansi(36, 39) };
}

export function colorWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env["NO_COLOR"]) return false;
  if (env["FORCE_COLOR"] && env["FORCE_COLOR"] !== "0") return true;
  return stream.isTTY === true && env["TERM"] !== "dumb";
}

/** Visible width of a string with ANSI color codes. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, "").length;
}

/** Pads to a visible width (color codes do not count). */
export function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - visibleLength(text)));
}

/** Cuts a line to a visible width, keeping color codes balanced by resetting at the cut. */
export function truncate(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  const reset = text.includes("\u001b[") ? "\u001b[0m" : "";
  let visible = 0;
  let out = "";
  // eslint-disable-next-line no-control-regex
  const parts = text.split(/(\u001b\[[0-9;]*m)/);
  for (const part of parts) {
    if (part.startsWith("\u001b[")) {
      out += part;
      continue;
    }
    const room = width - 1 - visible;
    if (part.length <= room) {
      out += part;
      visible += part.length;
    } else {
      out += `${part.slice(0, Math.max(0, room))}…${reset}`;
      return out;
    }
  }
  return out;
}
