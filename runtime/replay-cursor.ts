import { NonDeterministicExecutionError } from "./errors.js";
import type { Invocation } from "./invocation.js";
import { describeRecord } from "./journal.js";
import type { OperationRecord, OperationType } from "./operation-model.js";
import { operationKey } from "./operation-key.js";

export interface OperationKind {
  type: OperationType;
  subType: string;
  name: string | undefined;
  sourcePosition?: string | undefined;
}

export interface Claim {
  id: string;
  /** The recorded state, or undefined when this operation runs for the first time. */
  record: OperationRecord | undefined;
}

/**
 * Matches the operations one context issues against the journal. Each call claims the
 * next id for its name (or type) in this context, checks the recorded operation at that
 * id has the same type, and holds back a new operation until the context's recorded
 * operations have all been met again: an operation that is new while recorded ones are
 * still pending is a divergence, not a fresh start.
 */
export class ReplayCursor {
  private readonly occurrences = new Map<string, number>();

  constructor(
    readonly invocation: Invocation,
    /** The ParentId of the context's records: recorded operations are grouped by it. */
    readonly parentId: string | undefined,
    /** Where ids are built (differs from parentId only in a virtual context). */
    readonly keyPrefix: string | undefined = parentId,
  ) {}

  /** True while this context is re-running code whose operations are already recorded. */
  get isReplaying(): boolean {
    return this.invocation.mode === "verify" || this.invocation.journal.unconsumedIn(this.parentId) > 0;
  }

  nextId(label: string): string {
    const n = this.occurrences.get(label) ?? 0;
    this.occurrences.set(label, n + 1);
    return operationKey(this.keyPrefix, label, n);
  }

  /**
   * Claims the identity of the next operation. Call synchronously when the operation is
   * issued (identity follows call order), then await the result before acting on it.
   */
  claim(kind: OperationKind): { id: string; ready: Promise<Claim> } {
    const id = this.nextId(kind.name ?? kind.subType);
    const journal = this.invocation.journal;
    const record = journal.get(id);
    const issued: Pick<OperationRecord, "Id" | "Name" | "Type" | "SubType" | "SourcePosition"> = {
      Id: id,
      Name: kind.name,
      Type: kind.type,
      SubType: kind.subType,
      SourcePosition: kind.sourcePosition,
    };
    if (record) {
      journal.consume(id);
      if (record.Type !== kind.type || (record.SubType ?? kind.subType) !== kind.subType) {
        return {
          id,
          ready: this.invocation.fail(
            new NonDeterministicExecutionError(
              `The handler issued ${describeRecord(issued)} where the journal recorded ${describeRecord(record)}. ` +
                `The code changed the kind of operation at this point; restore it, or guard the new code with context.patched(...).`,
            ),
          ),
        };
      }
      return { id, ready: Promise.resolve({ id, record }) };
    }
    journal.issued.push(id);
    if (!this.isReplaying) return { id, ready: Promise.resolve({ id, record: undefined }) };
    return { id, ready: this.awaitReplayOf(issued) };
  }

  private async awaitReplayOf(issued: Pick<OperationRecord, "Id" | "Name" | "Type" | "SubType" | "SourcePosition">): Promise<Claim> {
    const { invocation } = this;
    const journal = invocation.journal;
    if (invocation.mode === "execute") {
      // Concurrent branches may still re-issue the remaining recorded operations; wait until
      // they have, or until nothing can make progress.
      const drained = journal.whenDrained(this.parentId).then(() => true);
      const idle = invocation.whenIdle().then(() => false);
      if (await Promise.race([drained, idle])) return { id: issued.Id, record: undefined };
      if (journal.unconsumedIn(this.parentId) === 0) return { id: issued.Id, record: undefined };
    }
    const pending = journal.firstUnconsumedIn(this.parentId);
    const what =
      invocation.mode === "verify"
        ? `Replaying the handler issued ${describeRecord(issued)}, which the recorded run did not issue`
        : `The handler issued the new operation ${describeRecord(issued)} while the journal still holds ${pending ? describeRecord(pending) : "operations"} that this replay never reached`;
    return invocation.fail(
      new NonDeterministicExecutionError(
        `${what}. Orchestration code must issue the same operations on every replay: move clock, randomness, I/O and ` +
          `environment reads into context.step(...), name operations with constants, and guard intended changes with context.patched(...).`,
      ),
    );
  }
}
