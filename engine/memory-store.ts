import type { OperationRecord } from "../runtime/operation-model.js";
import { decodeRecord, encodeRecord } from "./record-codec.js";
import { leaseLength } from "./sqlite-schema.js";
import { callbackIdsOf, callbackRefusal, endedDispatch, endsExecution, endsExpiredLeases, isDue, matchesFilter, type ExecutionFilter } from "./store-rules.js";
import {
  LeaseLostError,
  type CallbackOutcome,
  type CallbackSignalAnswer,
  type CallbackTarget,
  type CommitBatch,
  type DispatchClaim,
  type EngineStore,
  type ExecutionRow,
  type InvocationRow,
  type Lease,
  type Signal,
  type StoredSignal,
} from "./store.js";

interface ExecutionState {
  row: ExecutionRow;
  lease?: { owner: string; expiresAt: number } | undefined;
  /** Latest state per operation id, in first-write order (Map keeps insertion order). */
  operations: Map<string, string>;
  updates: Array<{ sequence: number; at: number; invocation: number; record: string }>;
  invocations: Map<number, InvocationRow>;
}

/**
 * The engine's store in process memory: same semantics as SqliteStore (leases, fencing,
 * signals), nothing survives the process. Records are kept encoded so callers can never
 * mutate what was committed.
 */
export class MemoryStore implements EngineStore {
  private readonly executions = new Map<string, ExecutionState>();
  private readonly callbacks = new Map<string, { executionId: string; operationId: string }>();
  private readonly signals: StoredSignal[] = [];
  private readonly dispatches = new Map<string, { owner: string; expiresAt: number }>();
  private signalSequence = 0;
  private closed = false;

  async createExecution(row: Omit<ExecutionRow, "epoch" | "invocations" | "status" | "updatedAt">): Promise<{ created: boolean; execution: ExecutionRow }> {
    this.checkOpen();
    const existing = this.executions.get(row.executionId);
    if (existing) return { created: false, execution: { ...existing.row } };
    const created: ExecutionRow = { ...row, status: "RUNNING", updatedAt: row.createdAt, epoch: 0, invocations: 0, expiredLeases: 0 };
    this.executions.set(row.executionId, { row: created, operations: new Map(), updates: [], invocations: new Map() });
    return { created: true, execution: { ...created } };
  }

  async getExecution(executionId: string): Promise<ExecutionRow | undefined> {
    this.checkOpen();
    const state = this.executions.get(executionId);
    return state && { ...state.row };
  }

  async listExecutions(filter: ExecutionFilter = {}): Promise<ExecutionRow[]> {
    this.checkOpen();
    const rows = [...this.executions.values()].map((s) => s.row).filter((row) => matchesFilter(row, filter));
    rows.sort((a, b) => b.createdAt - a.createdAt || (a.executionId < b.executionId ? -1 : 1));
    return rows.slice(0, filter.limit ?? rows.length).map((row) => ({ ...row }));
  }

  async loadOperations(executionId: string): Promise<OperationRecord[]> {
    this.checkOpen();
    return [...(this.executions.get(executionId)?.operations.values() ?? [])].map(decodeRecord);
  }

  async loadOperation(executionId: string, operationId: string): Promise<OperationRecord | undefined> {
    this.checkOpen();
    const encoded = this.executions.get(executionId)?.operations.get(operationId);
    return encoded === undefined ? undefined : decodeRecord(encoded);
  }

  async loadUpdates(executionId: string, afterSequence = 0): Promise<Array<{ sequence: number; at: number; invocation: number; record: OperationRecord }>> {
    this.checkOpen();
    return (this.executions.get(executionId)?.updates ?? []).filter((u) => u.sequence > afterSequence).map((u) => ({ ...u, record: decodeRecord(u.record) }));
  }

  async loadInvocations(executionId: string): Promise<InvocationRow[]> {
    this.checkOpen();
    return [...(this.executions.get(executionId)?.invocations.values() ?? [])].sort((a, b) => a.invocation - b.invocation).map((i) => ({ ...i }));
  }

  async claimDue(owner: string, now: number, leaseMs: number, limit: number, functionNames?: readonly string[]): Promise<Lease[]> {
    this.checkOpen();
    const due = [...this.executions.values()]
      .filter((s) => isDue(s.row, s.lease?.expiresAt, now) && (!functionNames || functionNames.includes(s.row.functionName)))
      .sort((a, b) => (a.row.nextWakeAt ?? 0) - (b.row.nextWakeAt ?? 0))
      .slice(0, limit);
    return due.map((s) => this.grant(s, owner, now, leaseMs));
  }

  async claim(executionId: string, owner: string, now: number, leaseMs: number, takeOverFrom?: string): Promise<Lease | undefined> {
    this.checkOpen();
    const state = this.executions.get(executionId);
    if (!state || state.row.status !== "RUNNING") return undefined;
    if (state.lease && state.lease.expiresAt > now && state.lease.owner !== takeOverFrom) return undefined;
    return this.grant(state, owner, now, leaseMs);
  }

  async heldDue(now: number): Promise<Array<{ executionId: string; owner: string; functionName: string }>> {
    this.checkOpen();
    return [...this.executions.values()]
      .filter((s) => s.row.status === "RUNNING" && s.row.nextWakeAt !== undefined && s.row.nextWakeAt <= now && s.lease && s.lease.expiresAt > now)
      .map((s) => ({ executionId: s.row.executionId, owner: s.lease!.owner, functionName: s.row.functionName }));
  }

  async renew(lease: Lease, now: number, leaseMs: number): Promise<boolean> {
    this.checkOpen();
    const state = this.executions.get(lease.executionId);
    if (!state || state.row.epoch !== lease.epoch || !state.lease) return false;
    state.lease.expiresAt = now + leaseMs;
    lease.expiresAt = now + leaseMs;
    return true;
  }

  async commit(batch: CommitBatch): Promise<void> {
    this.checkOpen();
    const state = this.executions.get(batch.executionId);
    if (!state || state.row.epoch !== batch.epoch) throw new LeaseLostError(batch.executionId, batch.epoch);
    const now = batch.at;
    // States set when an invocation opens belong to it.
    const invocation = batch.execution?.invocations ?? state.row.invocations;
    for (const record of batch.operations) {
      const encoded = encodeRecord(record);
      state.operations.set(record.Id, encoded);
      state.updates.push({ sequence: state.updates.length + 1, at: now, invocation, record: encoded });
      for (const callbackId of callbackIdsOf(record)) this.callbacks.set(callbackId, { executionId: batch.executionId, operationId: record.Id });
    }
    if (batch.invocation) {
      const before = state.invocations.get(batch.invocation.invocation);
      const given = Object.fromEntries(Object.entries(batch.invocation).filter(([, v]) => v !== undefined));
      state.invocations.set(batch.invocation.invocation, { ...before, ...given } as InvocationRow);
    }
    if (batch.execution) state.row = { ...state.row, ...batch.execution };
    state.row.updatedAt = now;
    if (batch.appliedSignals?.length) {
      const applied = new Set(batch.appliedSignals);
      for (let i = this.signals.length - 1; i >= 0; i--) if (applied.has(this.signals[i]!.sequence)) this.signals.splice(i, 1);
    }
    // A signal that arrived while the worker ran is not lost by the wake-up time it commits.
    if (!batch.backOff) for (const signal of this.signals) if (signal.executionId === batch.executionId) this.wake(state, signal.at);
    for (const signal of batch.signals ?? []) this.pushSignal(signal);
    if (batch.release) state.lease = undefined;
    if (endsExpiredLeases(batch)) state.row.expiredLeases = 0;
    if (endsExecution(batch)) for (const key of this.dispatches.keys()) if (key.startsWith(`${batch.executionId}\u0000`)) this.dispatches.delete(key);
  }

  async nextWakeAt(): Promise<number | undefined> {
    this.checkOpen();
    let next: number | undefined;
    for (const { row, lease } of this.executions.values()) {
      if (row.status !== "RUNNING" || row.nextWakeAt === undefined) continue;
      // A leased execution is not due before its lease ends (its holder wakes its own worker).
      const at = Math.max(row.nextWakeAt, lease?.expiresAt ?? 0);
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  async addSignal(signal: Signal): Promise<void> {
    this.checkOpen();
    this.pushSignal(signal);
  }

  async addCallbackSignal(target: CallbackTarget, outcome: CallbackOutcome, clock: () => number): Promise<CallbackSignalAnswer> {
    this.checkOpen();
    const at = clock();
    const state = this.executions.get(target.executionId);
    const encoded = state?.operations.get(target.operationId);
    const pending = this.signals.filter((s) => s.executionId === target.executionId);
    const reason = callbackRefusal(state?.row.status, encoded === undefined ? undefined : decodeRecord(encoded), pending, outcome, at);
    if (reason !== undefined) return { accepted: false, reason };
    this.pushSignal({ ...target, outcome, at });
    return { accepted: true, at };
  }

  async pendingSignals(executionId: string): Promise<StoredSignal[]> {
    this.checkOpen();
    return this.signals.filter((s) => s.executionId === executionId).map((s) => ({ ...s }));
  }

  async claimDispatch(executionId: string, operationId: string, owner: string, now: number, leaseMs: number, takeOverFrom?: string): Promise<DispatchClaim> {
    this.checkOpen();
    if (this.executions.get(executionId)?.row.status !== "RUNNING") return endedDispatch(now);
    const key = `${executionId}\u0000${operationId}`;
    const held = this.dispatches.get(key);
    if (held && held.expiresAt > now && held.owner !== owner && held.owner !== takeOverFrom) return { claimed: false, ...held };
    this.dispatches.set(key, { owner, expiresAt: now + leaseMs });
    return { claimed: true, expiresAt: now + leaseMs };
  }

  async findCallback(callbackId: string): Promise<{ executionId: string; operationId: string } | undefined> {
    this.checkOpen();
    return this.callbacks.get(callbackId);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private pushSignal(signal: Signal): void {
    this.signals.push({ ...signal, sequence: ++this.signalSequence });
    const target = this.executions.get(signal.executionId);
    if (target) this.wake(target, signal.at);
  }

  private wake(state: ExecutionState, at: number): void {
    if (state.row.status === "RUNNING") state.row.nextWakeAt = Math.min(state.row.nextWakeAt ?? at, at);
  }

  private grant(state: ExecutionState, owner: string, now: number, leaseMs: number): Lease {
    state.row.epoch += 1;
    // A lease that expired unreleased: one more in a row (see leaseLength).
    state.row.expiredLeases = (state.row.expiredLeases ?? 0) + (state.lease ? 1 : 0);
    const expiresAt = now + leaseLength(leaseMs, state.row.expiredLeases);
    state.lease = { owner, expiresAt };
    return { executionId: state.row.executionId, owner, epoch: state.row.epoch, expiresAt };
  }

  private checkOpen(): void {
    if (this.closed) throw new Error("This MemoryStore is closed");
  }
}
