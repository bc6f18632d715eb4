// The "mappings" of a source map, written as magic-string writes them for a text with edits
// (hires "boundary"), in one pass and straight to bytes: what applyPlanToText needs instead of
// building magic-string's chunks for every file.

/** Base64 digits as character codes. */
const BASE64 = Uint8Array.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", (digit) => digit.charCodeAt(0));
const COMMA = 44;
const SEMICOLON = 59;
const A = 65;

/** Kinds of characters for the mappings: magic-string's word characters (`/\w/`: `[A-Za-z0-9_]`), "\n", the rest. */
const OTHER = 0;
const WORD = 1;
const NEWLINE = 2;
const CHARACTER_KINDS = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const word = (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
  CHARACTER_KINDS[code] = code === 10 ? NEWLINE : word ? WORD : OTHER;
}

/** The bytes of the mappings being written; kept between files. */
let scratch = new Uint8Array(16384);

/**
 * The segments magic-string's Mappings records for one source (hires "boundary"), encoded as
 * @jridgewell/sourcemap-codec encodes them: a segment for every non-word character and for the
 * first character of each run of word characters, one at the start of each line of a
 * replacement, none for insertions. Written as ASCII bytes into a growing buffer.
 */
export class MappingsWriter {
  /** Starts on the buffer the previous writer left (each writer is done before the next starts). */
  #bytes = scratch;
  #length = 0;
  /** Generated column, and the column of the last segment on this generated line. */
  #column = 0;
  #lastColumn = 0;
  #lineHasSegment = false;
  /** Position in the original text. */
  #sourceLine = 0;
  #sourceColumn = 0;
  /** The original position of the last segment (deltas run across lines). */
  #lastSourceLine = 0;
  #lastSourceColumn = 0;

  toString(): string {
    return Buffer.from(this.#bytes.buffer, 0, this.#length).toString("latin1");
  }

  unedited(code: string, start: number, end: number): void {
    let bytes = this.#bytes;
    let length = this.#length;
    let column = this.#column;
    let lastColumn = this.#lastColumn;
    let lineHasSegment = this.#lineHasSegment;
    let sourceLine = this.#sourceLine;
    let lastSourceLine = this.#lastSourceLine;
    let sourceColumn = this.#sourceColumn;
    let lastSourceColumn = this.#lastSourceColumn;
    for (let index = start; index < end; index++) {
      const character = code.charCodeAt(index);
      const kind = character < 128 ? CHARACTER_KINDS[character]! : OTHER;
      if (kind === NEWLINE) {
        if (length + 1 > bytes.length) {
          this.#length = length;
          this.#reserve(1);
          bytes = this.#bytes;
        }
        bytes[length++] = SEMICOLON;
        column = 0;
        lastColumn = 0;
        lineHasSegment = false;
        sourceLine++;
        sourceColumn = 0;
        continue;
      }
      // A segment for every character but the rest of a run of word characters.
      // Room for a separator and a segment (at most 1 + 7 + 1 + 7 + 7 bytes).
      if (length + 32 > bytes.length) {
        this.#length = length;
        this.#reserve(32);
        bytes = this.#bytes;
      }
      if (lineHasSegment) bytes[length++] = COMMA;
      lineHasSegment = true;
      const columnDelta = column - lastColumn;
      const sourceColumnDelta = sourceColumn - lastSourceColumn;
      if (sourceLine === lastSourceLine && columnDelta === sourceColumnDelta && columnDelta >= 0 && columnDelta < 16) {
        // Most segments follow the previous one on the same line by less than 16 columns, in the
        // output as in the source: one base64 digit each way ("CAAC" for the next character).
        const digit = BASE64[columnDelta << 1]!;
        bytes[length++] = digit;
        bytes[length++] = A;
        bytes[length++] = A;
        bytes[length++] = digit;
      } else {
        length = writeVlq(bytes, length, columnDelta);
        bytes[length++] = A;
        length = writeVlq(bytes, length, sourceLine - lastSourceLine);
        length = writeVlq(bytes, length, sourceColumnDelta);
        lastSourceLine = sourceLine;
      }
      lastColumn = column;
      lastSourceColumn = sourceColumn;
      // The rest of a run of word characters adds no segment.
      let next = index + 1;
      if (kind === WORD) {
        while (next < end) {
          const following = code.charCodeAt(next);
          if (following >= 128 || CHARACTER_KINDS[following] !== WORD) break;
          next++;
        }
      }
      column += next - index;
      sourceColumn += next - index;
      index = next - 1;
    }
    this.#length = length;
    this.#column = column;
    this.#lastColumn = lastColumn;
    this.#lineHasSegment = lineHasSegment;
    this.#sourceLine = sourceLine;
    this.#lastSourceLine = lastSourceLine;
    this.#sourceColumn = sourceColumn;
    this.#lastSourceColumn = lastSourceColumn;
  }

  replaced(code: string, start: number, end: number, text: string): void {
    if (text.length > 0) {
      let lineEnd = text.indexOf("\n");
      let previousLineEnd = -1;
      while (lineEnd >= 0 && text.length - 1 > lineEnd) {
        this.#segment();
        this.#newLine();
        previousLineEnd = lineEnd;
        lineEnd = text.indexOf("\n", lineEnd + 1);
      }
      this.#segment();
      this.#advance(text.slice(previousLineEnd + 1));
    }
    // The original position moves past the replaced text.
    for (let index = start; index < end; index++) {
      if (code.charCodeAt(index) === 10) {
        this.#sourceLine++;
        this.#sourceColumn = 0;
      } else {
        this.#sourceColumn++;
      }
    }
  }

  inserted(text: string): void {
    this.#advance(text);
  }

  #advance(text: string): void {
    if (!text) return;
    let lineStart = 0;
    for (let newline = text.indexOf("\n"); newline >= 0; newline = text.indexOf("\n", lineStart)) {
      this.#newLine();
      lineStart = newline + 1;
    }
    this.#column += text.length - lineStart;
  }

  #newLine(): void {
    this.#reserve(1);
    this.#bytes[this.#length++] = SEMICOLON;
    this.#column = 0;
    this.#lastColumn = 0;
    this.#lineHasSegment = false;
  }

  /** A segment at the current generated and original positions. */
  #segment(): void {
    this.#reserve(32);
    const bytes = this.#bytes;
    let length = this.#length;
    if (this.#lineHasSegment) bytes[length++] = COMMA;
    length = writeVlq(bytes, length, this.#column - this.#lastColumn);
    bytes[length++] = A;
    length = writeVlq(bytes, length, this.#sourceLine - this.#lastSourceLine);
    length = writeVlq(bytes, length, this.#sourceColumn - this.#lastSourceColumn);
    this.#length = length;
    this.#lineHasSegment = true;
    this.#lastColumn = this.#column;
    this.#lastSourceLine = this.#sourceLine;
    this.#lastSourceColumn = this.#sourceColumn;
  }

  #reserve(extra: number): void {
    if (this.#length + extra <= this.#bytes.length) return;
    const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#length + extra));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
    scratch = grown;
  }
}

/** Writes a signed integer as base64 VLQ, as @jridgewell/sourcemap-codec does; returns the new length. */
function writeVlq(bytes: Uint8Array, length: number, value: number): number {
  let num = value < 0 ? (-value << 1) | 1 : value << 1;
  do {
    let clamped = num & 31;
    num >>>= 5;
    if (num > 0) clamped |= 32;
    bytes[length++] = BASE64[clamped]!;
  } while (num > 0);
  return length;
}
