import type { ContextScope } from "../context-scope.js";
import { DurablePromise } from "../durable-promise.js";
import { durableErrorFromObject, errorToObject, PromiseCombinatorError } from "../errors.js";
import { OperationSubType, type ErrorObject, type OperationRecord } from "../operation-model.js";

type Outcome = { ok: true; value: unknown } | { ok: false; error: ErrorObject };

/**
 * Combinators record which outcome they reached, so a replay where several operations are
 * already complete returns the same winner as the original run.
 */
function combinator<T>(scope: ContextScope, name: string | undefined, combine: () => Promise<T>, toJson: (v: T) => unknown, fromJson: (j: unknown) => T): DurablePromise<T> {
  const { ready } = scope.cursor.claim({ type: "CONTEXT", subType: OperationSubType.RUN_IN_CHILD_CONTEXT, name });
  return new DurablePromise(async () => {
    const { id, record } = await ready;
    if (record?.Status === "SUCCEEDED") return fromJson(JSON.parse(record.ContextDetails?.Result ?? "null"));
    if (record?.Status === "FAILED") throw durableErrorFromObject(record.ContextDetails?.Error ?? {});
    let outcome: Outcome;
    let raw: unknown;
    try {
      const value = await combine();
      outcome = { ok: true, value: toJson(value) };
    } catch (error) {
      raw = error;
      outcome = { ok: false, error: errorToObject(error) };
    }
    const base: OperationRecord = {
      Id: id,
      ParentId: scope.parentId,
      Name: name,
      Type: "CONTEXT",
      SubType: OperationSubType.RUN_IN_CHILD_CONTEXT,
      Status: outcome.ok ? "SUCCEEDED" : "FAILED",
      StartTimestamp: scope.now(),
      EndTimestamp: scope.now(),
    };
    if (outcome.ok) {
      const result = await scope.serialize(scope.defaultSerdes, outcome.value, base);
      await scope.write({ ...base, ContextDetails: { Result: result } });
      return fromJson(outcome.value);
    }
    await scope.write({ ...base, ContextDetails: { Error: outcome.error } });
    throw raw;
  });
}

const identity = <T>(v: T): T => v;
const settledToJson = (results: PromiseSettledResult<unknown>[]) =>
  results.map((r) => (r.status === "fulfilled" ? r : { status: "rejected", reason: errorToObject(r.reason) }));
const settledFromJson = (json: unknown): PromiseSettledResult<unknown>[] =>
  (json as Array<{ status: string; value?: unknown; reason?: ErrorObject }>).map((r) =>
    r.status === "fulfilled" ? { status: "fulfilled", value: r.value } : { status: "rejected", reason: durableErrorFromObject(r.reason ?? {}) },
  );

export function promiseCombinators(scope: ContextScope) {
  const parse = <T>(args: unknown[]): [string | undefined, DurablePromise<T>[]] =>
    typeof args[0] === "string" || args[0] === undefined ? [args[0] as string | undefined, args[1] as DurablePromise<T>[]] : [undefined, args[0] as DurablePromise<T>[]];
  return {
    all<T>(...args: unknown[]): DurablePromise<T[]> {
      const [name, promises] = parse<T>(args);
      return combinator(scope, name, () => Promise.all(promises) as Promise<T[]>, identity, (j) => j as T[]);
    },
    allSettled<T>(...args: unknown[]): DurablePromise<PromiseSettledResult<T>[]> {
      const [name, promises] = parse<T>(args);
      return combinator(scope, name, () => Promise.allSettled(promises), settledToJson, (j) => settledFromJson(j) as PromiseSettledResult<T>[]);
    },
    any<T>(...args: unknown[]): DurablePromise<T> {
      const [name, promises] = parse<T>(args);
      const anyOf = async () => {
        try {
          return await Promise.any(promises);
        } catch {
          throw new PromiseCombinatorError("All promises were rejected");
        }
      };
      return combinator(scope, name, anyOf, identity, (j) => j as T);
    },
    race<T>(...args: unknown[]): DurablePromise<T> {
      const [name, promises] = parse<T>(args);
      return combinator(scope, name, () => Promise.race(promises) as Promise<T>, identity, (j) => j as T);
    },
  };
}
