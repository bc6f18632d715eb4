import type { ErrorObject, OperationRecord } from "../runtime/operation-model.js";

// A replay that diverged fails its execution with NonDeterministicExecutionError, whose
// message names both operations as the runtime's describeRecord writes them:
// `<SubType or Type>[ "<name>"] (id <id>[ at <source position>])`, the one the replay issued
// first, the recorded one second. The divergence view puts them side by side.

export interface DivergentOperation {
  kind: string;
  name?: string | undefined;
  id: string;
  sourcePosition?: string | undefined;
}

export interface Divergence {
  message: string;
  /** What the changed code issued on replay. */
  replayed: DivergentOperation;
  /** What the journal holds at that point; absent when the message names no recorded operation. */
  recorded?: (DivergentOperation & { status?: string | undefined }) | undefined;
}

const DESCRIBED = /([A-Za-z]+)(?: "(.*?)")? \(id ([^\s()]+)(?: at ([^()]+?))?\)/g;

export function divergenceOf(error: ErrorObject | undefined, operations: readonly OperationRecord[]): Divergence | undefined {
  if (error?.ErrorType !== "NonDeterministicExecutionError" || typeof error.ErrorMessage !== "string") return undefined;
  const message = error.ErrorMessage;
  const described = [...message.matchAll(DESCRIBED)].map((m): DivergentOperation => ({ kind: m[1]!, name: m[2], id: m[3]!, sourcePosition: m[4] }));
  const [replayed, recorded] = described;
  if (!replayed) return undefined;
  if (!recorded) return { message, replayed };
  const record = operations.find((r) => r.Id === recorded.id);
  return { message, replayed, recorded: { ...recorded, sourcePosition: recorded.sourcePosition ?? record?.SourcePosition, status: record?.Status } };
}
