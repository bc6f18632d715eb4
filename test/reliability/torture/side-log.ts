// The independent record the invariants are checked against: an append-only file written by
// the step bodies themselves ("start" before the body's work, "end" after it) and by the
// workers ("ack" once the engine reports a checkpoint committed). Every line is one write(2)
// on a file opened with O_APPEND, so what a killed process wrote before it died is there,
// whole, in the order it was written across all processes (no fsync: a SIGKILL cannot lose
// what write(2) accepted).
import { createHash } from "node:crypto";
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";

export type Semantics = "alo" | "amo";

export type SideLogLine =
  /** A step body began attempt `a` (1-based). `op` is the step's name (unique in its execution). */
  | { k: "start"; e: string; op: string; a: number; sem: Semantics; pid: number }
  /** A step body finished attempt `a`, returning (ok) or about to throw. */
  | { k: "end"; e: string; op: string; a: number; sem: Semantics; ok: boolean; pid: number }
  /**
   * The worker's engine reported an operation state committed ("operation" event). `op` is the
   * record's name, or its id when it has none; `a` is StepDetails.Attempt for steps; `h` is
   * recordDigest(record): the acknowledged state exactly, timestamps included.
   */
  | { k: "ack"; e: string; id: string; op: string; type: string; status: string; a: number | null; h: string; pid: number }
  /**
   * This worker lost its claim on execution `e` (fencing epoch `epoch`): the store refused it a
   * commit (LeaseLostError, seen by the worker's store wrapper), or the engine found the lease
   * run out on its own clock ("claim-expired"); what it was running there is a zombie. With
   * `op`: only its dispatch claim on that plain invoke was lost ("dispatch-claim-lost").
   */
  | { k: "lost"; e: string; epoch: number; pid: number; op?: string }
  /** A worker process started. */
  | { k: "up"; pid: number }
  /** What the harness did to a worker (for reading a round's story; no invariant uses it). */
  | { k: "harness"; what: "spawn" | "kill" | "freeze" | "thaw" | "stop"; pid: number; moment?: string | undefined };

/** A line as written: with the writer's clock (ms), for reading a round's story. */
export type TimedLine = SideLogLine & { t: number };

export class SideLogWriter {
  private fd: number | undefined;
  constructor(readonly path: string) {}

  write(line: SideLogLine): void {
    this.fd ??= openSync(this.path, "a");
    // Once write(2) returns, the line is in the kernel's page cache: a SIGKILL of this process
    // cannot lose it (only a machine crash could, and the torture kills processes, not machines).
    writeSync(this.fd, `${JSON.stringify({ ...line, t: Date.now() })}\n`);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Reads a side log; a line that is not whole JSON is reported, never skipped. */
export function readSideLog(path: string): { lines: SideLogLine[]; torn: string[] } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { lines: [], torn: [] };
    throw error;
  }
  const lines: SideLogLine[] = [];
  const torn: string[] = [];
  const raw = text.split("\n");
  if (raw[raw.length - 1] === "") raw.pop();
  for (const line of raw) {
    try {
      lines.push(JSON.parse(line) as SideLogLine);
    } catch {
      torn.push(line);
    }
  }
  return { lines, torn };
}

/** A digest of a record's JSON form with sorted keys: equal for the state the engine reported and the state the store holds. */
export function recordDigest(record: unknown): string {
  return createHash("sha256").update(canonicalJson(JSON.parse(JSON.stringify(record)))).digest("hex").slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
