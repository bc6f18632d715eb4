import type { Engine, ExecutionRow } from "../engine/index.js";
import { lambdaStatus } from "../engine/execution-status.js";
import type { OperationRecord } from "../runtime/operation-model.js";
import { formatOutcome, formatRow, formatWaiting, isTerminal, waitingKey, type CommandHints } from "./render.js";
import { truncate, type Style } from "./style.js";
import { timelineRows, waitingOn, type TimelineRow } from "./timeline.js";

/**
 * Follows one execution until it ends, drawing its timeline as it goes. It reads the store,
 * not only this process's engine events, so it shows the same thing whether this process
 * runs the execution or another one (a `replayable resume` worker) does.
 *
 * - interactive (a terminal): finished operations are printed once; the operations still
 *   open and the progress line ("waiting: wait 'cool-off' ends in 4s") are redrawn in place,
 *   and whatever the handler prints goes above them.
 * - plain (a pipe, a file, CI): appended lines only: each operation when it starts and when
 *   it ends, the progress line each time what the execution waits for changes.
 */
export interface FollowOptions {
  engine: Engine;
  executionId: string;
  out: NodeJS.WriteStream;
  interactive: boolean;
  style: Style;
  hints: CommandHints;
  /** Stops following (Ctrl-C): the snapshot so far is printed and follow() resolves undefined. */
  signal?: AbortSignal;
  /** Redraw period on a terminal (the countdown), default 250 ms. */
  tickMs?: number;
}

export async function follow(options: FollowOptions): Promise<ExecutionRow | undefined> {
  return new Follower(options).run();
}

class Follower {
  private readonly printed = new Set<string>();
  private lastWaitingKey = "";
  private liveLines = 0;
  private liveText: string[] = [];
  private dirty = true;
  private wake: (() => void) | undefined;
  /** The latest state of each operation and the invocation that wrote it, in first-write order. */
  private readonly latest = new Map<string, { record: OperationRecord; invocation: number }>();
  /** The last history update read: the next load reads only what was committed after it. */
  private lastSequence = 0;
  private records: OperationRecord[] = [];
  private rows: TimelineRow[] = [];
  private lastUpdatedAt = -1;
  private lastLoadAt = 0;
  private loadCostMs = 0;
  private restoreWrites: (() => void) | undefined;
  private suspended = false;

  constructor(private readonly o: FollowOptions) {}

  async run(): Promise<ExecutionRow | undefined> {
    const { engine, executionId } = this.o;
    const unsubscribe = engine.subscribe((event) => {
      const id = event.type === "execution-started" || event.type === "execution-ended" ? event.execution.executionId : "executionId" in event ? event.executionId : undefined;
      if (id === executionId) this.kick();
    });
    const onAbort = () => this.kick();
    this.o.signal?.addEventListener("abort", onAbort);
    if (this.o.interactive) this.interceptWrites();
    try {
      for (;;) {
        const execution = await engine.getExecution(executionId);
        if (!execution) throw new Error(`Execution ${executionId} disappeared from the store.`);
        const now = Date.now();
        const ended = execution.status !== "RUNNING";
        // Load the new updates when the store changed, at most as often as loading and redrawing
        // cost allow (10,000 rows are not rebuilt 20 times a second), and always once it ended.
        const due = now - this.lastLoadAt >= Math.max(50, this.loadCostMs * 4);
        if (ended || (due && (this.dirty || execution.updatedAt !== this.lastUpdatedAt || now - this.lastLoadAt > 1000))) {
          await this.load();
          this.lastUpdatedAt = execution.updatedAt;
        }
        if (this.o.signal?.aborted) {
          this.finish(execution, false);
          return undefined;
        }
        if (ended) {
          this.finish(execution, true);
          return execution;
        }
        // Suspended: its invocation has ended and it waits for a time or a callback (the worker
        // released it and set its next wake-up). Only then is "waiting:" true.
        this.suspended = execution.nextWakeAt === undefined || execution.nextWakeAt > now;
        this.draw(now);
        await this.sleep(this.o.tickMs ?? 250);
      }
    } finally {
      unsubscribe();
      this.o.signal?.removeEventListener("abort", onAbort);
      this.restoreWrites?.();
    }
  }

  private kick(): void {
    this.dirty = true;
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.dirty ? 20 : ms);
      this.wake = () => {
        // Let a burst of commits (a map of 100 items) settle before reloading.
        clearTimeout(timer);
        setTimeout(done, 20);
      };
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.wake = undefined;
    });
  }

  /** Reads the updates committed since the last load (the whole history the first time) and redraws the rows from the latest state of each operation. */
  private async load(): Promise<void> {
    const started = Date.now();
    this.dirty = false;
    const updates = await this.o.engine.history(this.o.executionId, { afterSequence: this.lastSequence });
    if (updates.length > 0) {
      // A Map keeps each operation where it was first written, as latestStates() does.
      for (const update of updates) this.latest.set(update.record.Id, { record: update.record, invocation: update.invocation });
      this.lastSequence = updates[updates.length - 1]!.sequence;
      const states = [...this.latest.values()];
      this.records = states.map((s) => s.record);
      this.rows = timelineRows(states);
    }
    this.lastLoadAt = Date.now();
    this.loadCostMs = this.lastLoadAt - started;
  }

  private draw(now: number): void {
    if (this.o.interactive) this.drawInteractive(now);
    else this.drawPlain(now);
  }

  /**
   * Appended lines: an operation when it starts (or starts a new attempt), and when it ends,
   * children before their parent (a map ends after its items).
   */
  private drawPlain(now: number): void {
    const lines: string[] = [];
    const open: TimelineRow[] = [];
    const end = (row: TimelineRow) => {
      if (!isTerminal(row.status) || this.printed.has(`${row.id}|end`)) return;
      this.printed.add(`${row.id}|end`);
      lines.push(formatRow(row, now, this.o.style, false));
    };
    for (const row of this.rows) {
      while (open.length && open[open.length - 1]!.depth >= row.depth) end(open.pop()!);
      const key = `${row.id}|${row.status}|${row.attempt ?? ""}`;
      if (!isTerminal(row.status) && !this.printed.has(key)) {
        this.printed.add(key);
        lines.push(formatRow(row, now, this.o.style, false));
      }
      open.push(row);
    }
    while (open.length) end(open.pop()!);
    const waiting = this.suspended ? waitingOn(this.records).filter((w) => w.kind !== "step") : [];
    const key = waitingKey(waiting);
    if (key !== this.lastWaitingKey) {
      this.lastWaitingKey = key;
      lines.push(...formatWaiting(waiting, now, this.o.style, this.o.hints));
    }
    if (lines.length) this.o.out.write(`${lines.join("\n")}\n`);
  }

  /** Finished rows at the top are printed for good; the rest and the progress line are redrawn. */
  private drawInteractive(now: number): void {
    const permanent: string[] = [];
    const live: string[] = [];
    let open = false;
    for (const row of this.rows) {
      if (this.printed.has(row.id)) continue;
      if (!open && isTerminal(row.status)) {
        this.printed.add(row.id);
        permanent.push(formatRow(row, now, this.o.style));
      } else {
        open = true;
        live.push(formatRow(row, now, this.o.style));
      }
    }
    const current = waitingOn(this.records).filter((w) => this.suspended || w.kind === "step");
    const waiting = formatWaiting(current, now, this.o.style, this.o.hints);
    if (waiting.length) live.push("", ...waiting);
    const width = Math.max(20, (this.o.out.columns || 100) - 1);
    this.liveText = live.map((line) => truncate(line, width));
    this.writeRaw(this.clearLive() + permanent.map((line) => `${line}\n`).join("") + this.liveText.map((line) => `${line}\n`).join(""));
    this.liveLines = this.liveText.length;
  }

  /** The final picture: every row printed for good, then the outcome (or, when stopped, what it waits for). */
  private finish(execution: ExecutionRow, ended: boolean): void {
    const now = Date.now();
    if (!this.o.interactive) {
      this.lastWaitingKey = ended ? waitingKey([]) : "\u0000"; // when stopped, repeat what it waits for
      this.drawPlain(now);
    }
    const lines: string[] = [];
    if (this.o.interactive) for (const row of this.rows) if (!this.printed.has(row.id)) lines.push(formatRow(row, now, this.o.style));
    if (ended) lines.push("", ...formatOutcome(execution, this.o.style, lambdaStatus(execution, this.records.find((r) => r.Type === "EXECUTION"))));
    else if (this.o.interactive) lines.push(...formatWaiting(waitingOn(this.records), now, this.o.style, this.o.hints));
    this.writeRaw(this.clearLive() + lines.map((line) => `${line}\n`).join(""));
    this.liveLines = 0;
    this.liveText = [];
  }

  private clearLive(): string {
    return this.liveLines > 0 ? `\u001b[${this.liveLines}F\u001b[J` : "";
  }

  private rawWrite: ((text: string) => void) | undefined;
  private writeRaw(text: string): void {
    if (!text) return;
    if (this.rawWrite) this.rawWrite(text);
    else this.o.out.write(text);
  }

  /** What the handler prints (console, context.logger) goes above the redrawn lines. */
  private interceptWrites(): void {
    const streams = [this.o.out, process.stderr].filter((s, i, all) => all.indexOf(s) === i && s.isTTY);
    const originals = streams.map((stream) => stream.write);
    const out = this.o.out;
    const outWrite = out.write.bind(out);
    this.rawWrite = (text) => void outWrite(text);
    streams.forEach((stream, index) => {
      const original = originals[index]!.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        if (this.liveLines === 0) return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
        outWrite(this.clearLive());
        this.liveLines = 0;
        const result = (original as (...a: unknown[]) => boolean)(chunk, ...rest);
        const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString() : "";
        outWrite((text.endsWith("\n") ? "" : "\n") + this.liveText.map((line) => `${line}\n`).join(""));
        this.liveLines = this.liveText.length;
        return result;
      }) as typeof stream.write;
    });
    this.restoreWrites = () => {
      streams.forEach((stream, index) => (stream.write = originals[index]!));
      this.rawWrite = undefined;
    };
  }
}
