/**
 * Text that came from a store or a user, made safe to print: control characters (C0 with
 * newline and tab, DEL, C1), line and paragraph separators and bidirectional overrides are
 * written as visible escapes, so a callback's error text cannot set the window title, clear
 * the screen, move the cursor or start a fake line. The CLI's own colors are added after.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escape(char: string): string {
  const code = char.charCodeAt(0);
  if (char === "\n") return "\\n";
  if (char === "\r") return "\\r";
  if (char === "\t") return "\\t";
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** One line: every unsafe character escaped, newlines too. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** Several lines (a message, indented JSON): newlines kept, everything else unsafe escaped. */
export function printableLines(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, escape);
}

/** JSON text for --json output: what JSON.stringify leaves raw (DEL, C1, separators, bidi) as \u escapes, still valid JSON. */
export function printableJson(json: string): string {
  return json.replace(UNSAFE_BUT_NEWLINE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
