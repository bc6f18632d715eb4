import type { OperationRecord } from "../runtime/operation-model.js";
import type { Signal } from "./store.js";

/** A callback record as the engine keeps it: the last heartbeat rides along in its details. */
type CallbackDetailsWithHeartbeat = NonNullable<OperationRecord["CallbackDetails"]> & { LastHeartbeatTimestamp?: number };

/** Operations the engine must act on: a timer to fire, a callback to time out, an invoke to run. */
const isOpen = (r: OperationRecord): boolean =>
  (r.Type === "WAIT" && r.Status === "STARTED") ||
  (r.Type === "STEP" && r.Status === "PENDING") ||
  (r.Type === "CALLBACK" && r.Status === "STARTED") ||
  (r.Type === "CHAINED_INVOKE" && r.Status === "STARTED");

/**
 * One execution's operation records as the engine sees them, with the set of open
 * operations kept beside them, so finding what is due costs the number of open
 * operations, not the length of the history (an execution may hold 10,000 steps).
 */
export class ExecutionState {
  private readonly records = new Map<string, OperationRecord>();
  private readonly open = new Map<string, OperationRecord>();

  constructor(records: Iterable<OperationRecord> = []) {
    for (const record of records) this.set(record);
  }

  get(id: string): OperationRecord | undefined {
    return this.records.get(id);
  }

  all(): IterableIterator<OperationRecord> {
    return this.records.values();
  }

  get size(): number {
    return this.records.size;
  }

  set(record: OperationRecord): void {
    this.records.set(record.Id, record);
    if (isOpen(record)) this.open.set(record.Id, record);
    else this.open.delete(record.Id);
  }

  /** Chained invokes that were requested and have no outcome yet. */
  openInvokes(): OperationRecord[] {
    return [...this.open.values()].filter((r) => r.Type === "CHAINED_INVOKE");
  }

  /** New states for what the clock has reached, as the AWS service would record them. */
  fireDue(now: number): OperationRecord[] {
    const changed: OperationRecord[] = [];
    for (const r of this.open.values()) {
      if (r.Type === "WAIT" && (r.WaitDetails?.ScheduledEndTimestamp?.getTime() ?? 0) <= now) {
        changed.push({ ...r, Status: "SUCCEEDED", EndTimestamp: new Date(now) });
      } else if (r.Type === "STEP" && (r.StepDetails?.NextAttemptTimestamp?.getTime() ?? 0) <= now) {
        changed.push({ ...r, Status: "READY" });
      } else if (r.Type === "CALLBACK") {
        const deadline = callbackDeadline(r);
        if (deadline && deadline.at <= now) {
          // The error types the AWS service records for the two kinds of timeout.
          const error = deadline.kind === "heartbeat" ? { ErrorType: "Callback.Heartbeat", ErrorMessage: "Callback heartbeat timed out" } : { ErrorType: "Callback.Timeout", ErrorMessage: "Callback timed out" };
          changed.push({ ...r, Status: "TIMED_OUT", EndTimestamp: new Date(now), CallbackDetails: { ...r.CallbackDetails, Error: error } });
        }
      }
    }
    for (const record of changed) this.set(record);
    return changed;
  }

  /**
   * The new state a signal gives its operation, or undefined when it no longer applies
   * (the callback timed out first, or the signal was already applied).
   */
  applySignal(signal: Signal, now: number): OperationRecord | undefined {
    const r = this.records.get(signal.operationId);
    if (!r || !this.open.has(r.Id)) return undefined;
    const outcome = signal.outcome;
    let next: OperationRecord | undefined;
    if (r.Type === "CALLBACK") {
      if (outcome.kind === "callback-succeeded") {
        next = { ...r, Status: "SUCCEEDED", EndTimestamp: new Date(now), CallbackDetails: { ...r.CallbackDetails, Result: outcome.result } };
      } else if (outcome.kind === "callback-failed") {
        next = { ...r, Status: "FAILED", EndTimestamp: new Date(now), CallbackDetails: { ...r.CallbackDetails, Error: outcome.error } };
      } else if (outcome.kind === "callback-heartbeat") {
        const details: CallbackDetailsWithHeartbeat = { ...r.CallbackDetails, LastHeartbeatTimestamp: signal.at };
        next = { ...r, CallbackDetails: details };
      }
    } else if (r.Type === "CHAINED_INVOKE") {
      if (outcome.kind === "invoke-succeeded") {
        next = { ...r, Status: "SUCCEEDED", EndTimestamp: new Date(now), ChainedInvokeDetails: { Result: outcome.result } };
      } else if (outcome.kind === "invoke-failed") {
        next = { ...r, Status: "FAILED", EndTimestamp: new Date(now), ChainedInvokeDetails: { Error: outcome.error } };
      }
    }
    if (next) this.set(next);
    return next;
  }

  /** When the engine must next look at this execution; undefined when only something external can wake it. */
  nextWakeAt(): number | undefined {
    let next: number | undefined;
    const consider = (t: number | undefined) => {
      if (t !== undefined && (next === undefined || t < next)) next = t;
    };
    for (const r of this.open.values()) {
      if (r.Type === "WAIT") consider(r.WaitDetails?.ScheduledEndTimestamp?.getTime() ?? 0);
      else if (r.Type === "STEP") consider(r.StepDetails?.NextAttemptTimestamp?.getTime() ?? 0);
      else if (r.Type === "CALLBACK") consider(callbackDeadline(r)?.at);
    }
    return next;
  }
}

/** When a waiting callback times out; lastHeartbeatAt counts a heartbeat not yet applied to the record. */
export function callbackDeadline(r: OperationRecord, lastHeartbeatAt?: number): { at: number; kind: "timeout" | "heartbeat" } | undefined {
  const start = new Date(r.StartTimestamp).getTime();
  let deadline: { at: number; kind: "timeout" | "heartbeat" } | undefined;
  const timeout = r.CallbackOptions?.TimeoutSeconds;
  if (timeout) deadline = { at: start + timeout * 1000, kind: "timeout" };
  const heartbeat = r.CallbackOptions?.HeartbeatTimeoutSeconds;
  if (heartbeat) {
    const recorded = (r.CallbackDetails as CallbackDetailsWithHeartbeat | undefined)?.LastHeartbeatTimestamp ?? start;
    const at = Math.max(recorded, lastHeartbeatAt ?? recorded) + heartbeat * 1000;
    if (!deadline || at < deadline.at) deadline = { at, kind: "heartbeat" };
  }
  return deadline;
}
