import { createHash, randomBytes } from "node:crypto";
import type { JournalStore } from "../../runtime/journal.js";
import type { OperationRecord } from "../../runtime/operation-model.js";
import { ExecutionState } from "../execution-state.js";
import { applyUpdates, type ExecutionEnd } from "./operation-updates.js";
import { checkpointNotCommitted, DurableServiceError, invalidCheckpointToken } from "./service-errors.js";
import {
  toWireOperation,
  visibleOperations,
  type CheckpointDurableExecutionRequest,
  type CheckpointDurableExecutionResponse,
  type DurableExecutionClient,
  type DurableExecutionInvocationInput,
  type GetDurableExecutionStateRequest,
  type GetDurableExecutionStateResponse,
} from "./wire.js";

/** Operations per page, in the invocation event and in GetDurableExecutionState (the SDK asks for 1,000). */
export const DEFAULT_PAGE_SIZE = 1000;

export interface ExecutionServiceOptions {
  executionArn: string;
  /** The execution's records; every checkpoint is committed through it before the call returns. */
  journal: JournalStore;
  clock: () => number;
  pageSize?: number | undefined;
  /** What changed since the previous invocation, for the invocation event's UpdatedOperationIds. */
  updatedOperationIds?: readonly string[] | undefined;
}

interface TokenFields {
  /** Digest of the execution's ARN. */
  x: string;
  /** The invocation it was issued to. */
  i: string;
  /** Its place in the invocation's sequence of checkpoints. */
  n: number;
}

/**
 * What the durable execution service does for one invocation of a function written with the
 * official SDK, on replayable's engine: it hands out the execution's state (the invocation
 * event's first page, GetDurableExecutionState for the rest) and applies checkpoints
 * (CheckpointDurableExecution), each committed through the engine's journal before it
 * answers. Checkpoint tokens are single-use and valid only within this invocation.
 */
export class ExecutionService implements DurableExecutionClient {
  private readonly executionArn: string;
  private readonly journal: JournalStore;
  private readonly clock: () => number;
  private readonly pageSize: number;
  private readonly updatedOperationIds: string[];
  private readonly state: ExecutionState;
  private readonly executionDigest: string;
  private readonly invocationId = randomBytes(12).toString("base64url");
  private readonly issued = new Set<string>();
  private sequence = 0;
  private token: string;
  private busy = false;
  private endedBecause: string | undefined;
  /** Set when the function ended the execution through a checkpoint. */
  executionEnd: ExecutionEnd | undefined;
  /** The store's error when a checkpoint could not be committed. */
  commitFailure: unknown;

  constructor(options: ExecutionServiceOptions) {
    this.executionArn = options.executionArn;
    this.journal = options.journal;
    this.clock = options.clock;
    this.pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE));
    this.updatedOperationIds = [...(options.updatedOperationIds ?? [])];
    this.state = new ExecutionState(options.journal.load());
    this.executionDigest = createHash("sha256").update(this.executionArn).digest("base64url").slice(0, 16);
    this.token = this.issueToken();
  }

  /** The Lambda event the service sends: the ARN, this invocation's first token, what changed since the last one, and the first page of the state. */
  invocationInput(): DurableExecutionInvocationInput {
    const { operations, nextMarker } = this.page(0, this.pageSize, "iso");
    return {
      DurableExecutionArn: this.executionArn,
      CheckpointToken: this.token,
      UpdatedOperationIds: [...this.updatedOperationIds],
      InitialExecutionState: { Operations: operations, ...(nextMarker !== undefined && { NextMarker: nextMarker }) },
    };
  }

  /** Ends the invocation: from now on every token it was given is rejected. */
  end(reason: string): void {
    this.endedBecause ??= reason;
  }

  async getExecutionState(params: GetDurableExecutionStateRequest): Promise<GetDurableExecutionStateResponse> {
    this.checkExecution(params.DurableExecutionArn);
    const token = params.CheckpointToken;
    if (this.endedBecause !== undefined || token === undefined || !this.issued.has(token)) this.rejectToken(token);
    const offset = params.Marker ? this.offsetOf(params.Marker) : 0;
    const maxItems = params.MaxItems === undefined ? this.pageSize : Math.max(1, Math.min(this.pageSize, Math.floor(params.MaxItems)));
    const { operations, nextMarker } = this.page(offset, maxItems, "date");
    return { Operations: operations, ...(nextMarker !== undefined && { NextMarker: nextMarker }) };
  }

  async checkpoint(params: CheckpointDurableExecutionRequest): Promise<CheckpointDurableExecutionResponse> {
    this.checkExecution(params.DurableExecutionArn);
    if (this.endedBecause !== undefined || params.CheckpointToken !== this.token || this.busy) this.rejectToken(params.CheckpointToken);
    if (this.executionEnd) throw invalidCheckpointToken("the execution has already ended");
    this.busy = true;
    try {
      const now = new Date(this.clock());
      // What the service did on its own since the last call: waits that ended, retries that
      // came due, callbacks that timed out. A poll (a checkpoint without updates) sees them.
      const fired = this.state.fireDue(now.getTime());
      let applied;
      try {
        applied = applyUpdates(params.Updates ?? [], { lookup: (id) => this.state.get(id), now, newCallbackId });
      } catch (error) {
        this.end(`a checkpoint was refused: ${(error as Error).message}`);
        throw error;
      }
      const records = [...fired, ...applied.records];
      if (records.length > 0) {
        try {
          await this.commit(records);
        } catch (error) {
          this.commitFailure = error;
          this.end("a checkpoint could not be committed");
          throw checkpointNotCommitted(error);
        }
      }
      for (const record of applied.records) this.state.set(record);
      if (applied.executionEnd) this.executionEnd = applied.executionEnd;
      const changed = new Map<string, OperationRecord>();
      for (const record of records) changed.set(record.Id, record);
      this.token = this.issueToken();
      return {
        CheckpointToken: this.token,
        NewExecutionState: { Operations: [...changed.values()].map((record) => toWireOperation(record, "date")) },
      };
    } finally {
      this.busy = false;
    }
  }

  private async commit(records: OperationRecord[]): Promise<void> {
    if (this.journal.saveBatch) await this.journal.saveBatch(records);
    else for (const record of records) await this.journal.save(record);
  }

  private page(offset: number, limit: number, timestamps: "date" | "iso"): { operations: ReturnType<typeof toWireOperation>[]; nextMarker: string | undefined } {
    const visible = visibleOperations(this.state.all());
    const slice = visible.slice(offset, offset + limit);
    const next = offset + slice.length;
    return {
      operations: slice.map((record) => toWireOperation(record, timestamps)),
      nextMarker: next < visible.length ? Buffer.from(JSON.stringify({ i: this.invocationId, o: next })).toString("base64url") : undefined,
    };
  }

  private offsetOf(marker: string): number {
    try {
      const parsed = JSON.parse(Buffer.from(marker, "base64url").toString("utf8")) as { i?: unknown; o?: unknown };
      if (parsed.i === this.invocationId && typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
    } catch {
      // reported below
    }
    throw new DurableServiceError("InvalidParameterValueException", `Invalid Marker ${JSON.stringify(marker)}: pass the NextMarker of this invocation's previous answer.`, "INVOCATION");
  }

  private checkExecution(arn: string | undefined): void {
    if (arn !== this.executionArn) {
      throw new DurableServiceError(
        "ResourceNotFoundException",
        `Durable execution ${JSON.stringify(arn)} is not the one this invocation runs (${this.executionArn}); pass the DurableExecutionArn of the invocation event.`,
        "EXECUTION",
        404,
      );
    }
  }

  private issueToken(): string {
    const fields: TokenFields = { x: this.executionDigest, i: this.invocationId, n: ++this.sequence };
    const token = `${Buffer.from(JSON.stringify(fields)).toString("base64url")}.${randomBytes(16).toString("base64url")}`;
    this.issued.add(token);
    return token;
  }

  /** Says why a token is not accepted, as precisely as it can. */
  private rejectToken(token: string | undefined): never {
    if (token === undefined || token === "") throw invalidCheckpointToken("a CheckpointToken is required");
    const fields = decodeToken(token);
    if (!fields) throw invalidCheckpointToken("it was not issued by this service");
    if (fields.x !== this.executionDigest) throw invalidCheckpointToken("it was issued for another execution");
    if (fields.i !== this.invocationId) throw invalidCheckpointToken("it was issued to an earlier invocation of this execution");
    if (!this.issued.has(token)) throw invalidCheckpointToken("it was not issued by this service");
    if (this.endedBecause !== undefined) throw invalidCheckpointToken(`the invocation it was issued to has ended (${this.endedBecause})`);
    if (token === this.token && this.busy) throw invalidCheckpointToken("a checkpoint with this token is still in progress; wait for its answer and use the token it returns");
    throw invalidCheckpointToken("it was superseded by a later checkpoint; each token is valid once, use the CheckpointToken of the latest answer");
  }
}

function decodeToken(token: string): TokenFields | undefined {
  try {
    const fields = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8")) as Partial<TokenFields>;
    return typeof fields.x === "string" && typeof fields.i === "string" && typeof fields.n === "number" ? (fields as TokenFields) : undefined;
  } catch {
    return undefined;
  }
}

/** 192 random bits, in the characters a callback id may use (letters, digits, _ and -). */
function newCallbackId(): string {
  return randomBytes(24).toString("base64url");
}
