import type { ContextScope } from "../context-scope.js";
import type { DurablePromise } from "../durable-promise.js";
import { PromiseCombinatorError, type DurableOperationError } from "../errors.js";
import type { Serdes } from "../serdes.js";
import { childContext } from "./child-context.js";

/**
 * ctx.promise.all/allSettled/any/race, as the AWS SDK builds them: a child context whose
 * body awaits the given promises. The context is recorded STARTED when the combinator
 * starts (so a combinator still pending when the invocation suspends is a known operation
 * on replay) and records the outcome it reached, so a replay where several operations are
 * already complete returns the same winner as the original run. A rejection surfaces as
 * PromiseCombinatorError, live and replayed.
 */
function combinator<T>(scope: ContextScope, name: string | undefined, combine: () => Promise<T>, serdes?: Pick<Serdes<T>, "serialize" | "deserialize">): DurablePromise<T> {
  return childContext<T>(scope, name, () => combine(), {
    serdes,
    wrapError: (error: DurableOperationError) => new PromiseCombinatorError(error.message, error),
  });
}

type SettledJson = { status: "fulfilled"; value: unknown } | { status: "rejected"; reason: unknown };

/** The AWS SDK's error-aware serdes for allSettled: a rejection reason comes back as an Error with its name and message. */
const settledSerdes: Pick<Serdes<PromiseSettledResult<unknown>[]>, "serialize" | "deserialize"> = {
  serialize: async (value) =>
    value === undefined
      ? undefined
      : JSON.stringify(
          value.map((item) =>
            item.status === "rejected" && item.reason instanceof Error ? { ...item, reason: { message: item.reason.message, name: item.reason.name } } : item,
          ),
        ),
  deserialize: async (data) =>
    data === undefined
      ? undefined
      : (JSON.parse(data) as SettledJson[]).map((item) => {
          const reason = item.status === "rejected" ? (item.reason as { message?: unknown; name?: unknown } | null) : null;
          if (reason && typeof reason === "object" && typeof reason.message === "string" && reason.message) {
            const error = new Error(reason.message);
            error.name = typeof reason.name === "string" && reason.name ? reason.name : "Error";
            return { ...item, reason: error } as PromiseSettledResult<unknown>;
          }
          return item as PromiseSettledResult<unknown>;
        }),
};

export function promiseCombinators(scope: ContextScope) {
  const parse = <T>(args: unknown[]): [string | undefined, DurablePromise<T>[]] =>
    typeof args[0] === "string" || args[0] === undefined ? [args[0] as string | undefined, args[1] as DurablePromise<T>[]] : [undefined, args[0] as DurablePromise<T>[]];
  return {
    all<T>(...args: unknown[]): DurablePromise<T[]> {
      const [name, promises] = parse<T>(args);
      return combinator(scope, name, () => Promise.all(promises) as Promise<T[]>);
    },
    allSettled<T>(...args: unknown[]): DurablePromise<PromiseSettledResult<T>[]> {
      const [name, promises] = parse<T>(args);
      return combinator(scope, name, () => Promise.allSettled(promises), settledSerdes as Pick<Serdes<PromiseSettledResult<T>[]>, "serialize" | "deserialize">);
    },
    any<T>(...args: unknown[]): DurablePromise<T> {
      const [name, promises] = parse<T>(args);
      return combinator(scope, name, () => Promise.any(promises) as Promise<T>);
    },
    race<T>(...args: unknown[]): DurablePromise<T> {
      const [name, promises] = parse<T>(args);
      return combinator(scope, name, () => Promise.race(promises) as Promise<T>);
    },
  };
}
