import type { OperationRecord } from "../runtime/index.js";

const realNow = Date.now.bind(Date);

/**
 * A callback's timeout and heartbeat timeout, on real time even when the runner skips time:
 * the official runner keeps these timers in its checkpoint server, outside the fake clock,
 * so a test that completes or heartbeats a callback in real time is never overtaken by them.
 */
export class CallbackTimers {
  private readonly started = new Map<string, number>();
  private readonly heartbeats = new Map<string, number>();

  /** Called for every saved record: a callback's timers start when it is first recorded. */
  observe(record: OperationRecord): void {
    if (record.Type === "CALLBACK" && !this.started.has(record.Id)) this.started.set(record.Id, realNow());
  }

  heartbeat(id: string): void {
    this.heartbeats.set(id, realNow());
  }

  /** When the callback times out (real ms) and why, if it has a timeout. */
  private deadline(r: OperationRecord): { at: number; message: string } | undefined {
    const start = this.started.get(r.Id) ?? realNow();
    const candidates: Array<{ at: number; message: string }> = [];
    const timeout = r.CallbackOptions?.TimeoutSeconds;
    if (timeout) candidates.push({ at: start + timeout * 1000, message: "Callback timed out" });
    const heartbeat = r.CallbackOptions?.HeartbeatTimeoutSeconds;
    if (heartbeat) candidates.push({ at: (this.heartbeats.get(r.Id) ?? start) + heartbeat * 1000, message: "Callback timed out on heartbeat" });
    return candidates.sort((a, b) => a.at - b.at)[0];
  }

  /** Milliseconds of real time until the first pending callback times out. */
  nextDelay(pending: OperationRecord[]): number | undefined {
    const times = pending.map((r) => this.deadline(r)?.at).filter((t): t is number => t !== undefined);
    return times.length ? Math.max(0, Math.min(...times) - realNow()) : undefined;
  }

  /** The pending callbacks whose time is up, with the official runner's error message. */
  expired(pending: OperationRecord[]): Array<{ record: OperationRecord; message: string }> {
    const now = realNow();
    return pending.flatMap((record) => {
      const d = this.deadline(record);
      return d && d.at <= now ? [{ record, message: d.message }] : [];
    });
  }
}
