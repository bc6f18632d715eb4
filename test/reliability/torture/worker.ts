// A torture worker: one engine process on the shared SQLite store, running the torture
// handlers until it is killed (SIGKILL, by the harness or by itself at a chosen moment) or
// told to stop (SIGTERM: closes cleanly). Its WorkerConfig comes as JSON in its one argument,
// or else as the first line on its stdin: the harness starts spare workers ahead of need, so
// that a killed worker's successor has its modules loaded already (most of a start's time).
//
// It reports to the side log: "up" when it starts, and "ack" for every operation state the
// engine reports committed (the "operation" event), so the harness can check afterwards that
// every acknowledged checkpoint survived the kills.
import { writeSync } from "node:fs";
import { connectStore, createEngine, LeaseLostError, type EngineStore } from "../../../engine/index.js";
import { configureProbe, tortureHandlers } from "./handlers.js";
import { recordDigest, SideLogWriter, type SideLogLine } from "./side-log.js";

export interface WorkerConfig {
  /** An SQLite file, or a postgres:// URL. */
  storePath: string;
  sideLogPath: string;
  leaseMs: number;
  pollMs: number;
  resumption: "warm" | "replay";
  /** Kill this process (SIGKILL) right after it writes its `count`-th side log line of this kind. */
  crash?: { after: "start" | "end" | "ack"; count: number } | undefined;
  /** Also print every side log line on stdout (the harness kills on some of them). */
  echo: boolean;
}

// The harness holds our stdin: when it goes away, so do we.
process.stdin.on("end", () => process.exit(3));
const config = JSON.parse(process.argv[2] ?? (await firstLine(process.stdin))) as WorkerConfig;
const writer = new SideLogWriter(config.sideLogPath);
const seen = { start: 0, end: 0, ack: 0, lost: 0, up: 0, harness: 0 };

function line(entry: SideLogLine): void {
  writer.write(entry);
  if (config.echo) writeToPipe(1, `${JSON.stringify(entry)}\n`);
  seen[entry.k] += 1;
  if (config.crash && entry.k === config.crash.after && seen[entry.k] === config.crash.count) process.kill(process.pid, "SIGKILL");
}

process.stdin.resume();

/**
 * Writes all of `text` to a pipe. Node makes stdio pipes non-blocking, so when the harness is
 * slow to read (a loaded machine) write(2) says EAGAIN; thrown from a step body it would
 * become that step's error and change the execution's result.
 */
function writeToPipe(fd: number, text: string): void {
  let rest = Buffer.from(text);
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

configureProbe({ line });
line({ k: "up", pid: process.pid });
const store = await connectStore(config.storePath);
const engine = createEngine({ store: reportingLostClaims(store), functions: tortureHandlers, pollMs: config.pollMs, leaseMs: config.leaseMs, resumption: config.resumption });
engine.subscribe((event) => {
  if (event.type === "operation") {
    const { record } = event;
    line({ k: "ack", e: event.executionId, id: record.Id, op: record.Name ?? record.Id, type: record.Type, status: record.Status, a: record.StepDetails?.Attempt ?? null, h: recordDigest(record), pid: process.pid });
  } else if (event.type === "claim-expired") {
    // The engine's own clock said the lease ran out (no refused commit: the store wrapper below sees those).
    line({ k: "lost", e: event.executionId, epoch: event.epoch, pid: process.pid });
  } else if (event.type === "dispatch-claim-lost") {
    line({ k: "lost", e: event.executionId, epoch: -1, op: event.operationId, pid: process.pid });
  } else if (event.type === "worker-error" && !(event.error instanceof LeaseLostError)) {
    writeToPipe(2, `worker-error ${event.executionId ?? ""}: ${(event.error as Error)?.stack ?? String(event.error)}\n`);
  }
});

process.on("SIGTERM", () => {
  void (async () => {
    await engine.close();
    await store.close();
    writer.close();
    process.exit(0);
  })();
});

/**
 * The store as the engine sees it, reporting every commit refused for a stale fencing epoch
 * (a superseded claim) to the side log. (A failed renewal is not reported: it also fails,
 * harmlessly, right after the worker released the execution itself.)
 */
function reportingLostClaims(inner: EngineStore): EngineStore {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === "commit") {
        return async (batch: Parameters<EngineStore["commit"]>[0]) => {
          try {
            await target.commit(batch);
          } catch (error) {
            if (error instanceof LeaseLostError) line({ k: "lost", e: batch.executionId, epoch: batch.epoch, pid: process.pid });
            throw error;
          }
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function firstLine(input: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const end = text.indexOf("\n");
      if (end < 0) return;
      input.off("data", onData);
      input.pause();
      resolve(text.slice(0, end));
    };
    input.on("data", onData);
  });
}
