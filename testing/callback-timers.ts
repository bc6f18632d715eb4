import type { OperationRecord } from "../runtime/index.js";
import type { VirtualClock } from "./virtual-clock.js";

const realNow = Date.now.bind(Date);

/**
 * A callback's timeout and heartbeat timeout. The official runner keeps these timers in its
 * checkpoint server, outside its fake clock, so a test that completes or heartbeats a callback
 * in real time is never overtaken by them. Here a callback the test holds (it waited for its
 * data or acted on it) times out on real time, as there; one no test code is acting on times
 * out on the runner's clock, so with virtual time a test of a timeout does not sleep through it.
 */
export class CallbackTimers {
  private readonly startedReal = new Map<string, number>();
  private readonly heartbeats = new Map<string, number>();
  private readonly held = new Set<string>();

  constructor(private readonly clock: VirtualClock) {}

  /** Called for every saved record: a callback's real-time timers start when it is first recorded. */
  observe(record: OperationRecord): void {
    if (record.Type === "CALLBACK" && !this.startedReal.has(record.Id)) this.startedReal.set(record.Id, realNow());
  }

  /** Test code waited for this callback's data or acted on it. */
  hold(id: string): void {
    this.held.add(id);
  }

  heartbeat(id: string): void {
    this.held.add(id);
    this.heartbeats.set(id, realNow());
  }

  private onRealTime(r: OperationRecord): boolean {
    return !this.clock.virtual || this.held.has(r.Id);
  }

  /** When the callback times out (real ms, or the runner's clock for one on virtual time) and why. */
  private deadline(r: OperationRecord): { at: number; message: string } | undefined {
    const real = this.onRealTime(r);
    const start = real ? (this.startedReal.get(r.Id) ?? realNow()) : r.StartTimestamp.getTime();
    const candidates: Array<{ at: number; message: string }> = [];
    const timeout = r.CallbackOptions?.TimeoutSeconds;
    if (timeout) candidates.push({ at: start + timeout * 1000, message: "Callback timed out" });
    const heartbeat = r.CallbackOptions?.HeartbeatTimeoutSeconds;
    if (heartbeat) candidates.push({ at: ((real && this.heartbeats.get(r.Id)) || start) + heartbeat * 1000, message: "Callback timed out on heartbeat" });
    return candidates.sort((a, b) => a.at - b.at)[0];
  }

  /** Milliseconds of real time until the first pending callback on real time times out. */
  nextRealDelay(pending: OperationRecord[]): number | undefined {
    const times = pending.filter((r) => this.onRealTime(r)).map((r) => this.deadline(r)?.at).filter((t): t is number => t !== undefined);
    return times.length ? Math.max(0, Math.min(...times) - realNow()) : undefined;
  }

  /** The first time on the runner's virtual clock at which a pending callback nobody holds times out. */
  nextVirtualDeadline(pending: OperationRecord[]): number | undefined {
    const times = pending.filter((r) => !this.onRealTime(r)).map((r) => this.deadline(r)?.at).filter((t): t is number => t !== undefined);
    return times.length ? Math.min(...times) : undefined;
  }

  /** The pending callbacks whose time is up, with the official runner's error message. */
  expired(pending: OperationRecord[]): Array<{ record: OperationRecord; message: string }> {
    return pending.flatMap((record) => {
      const d = this.deadline(record);
      const now = this.onRealTime(record) ? realNow() : this.clock.now();
      return d && d.at <= now ? [{ record, message: d.message }] : [];
    });
  }
}
