import { AsyncLocalStorage } from "node:async_hooks";

/** The DurablePromise whose operation is running (its executor and the continuations in it). */
const running = new AsyncLocalStorage<DurablePromise<unknown>>();
export const currentDurablePromise = (): DurablePromise<unknown> | undefined => running.getStore();

/**
 * The promise every durable operation returns. The operation starts when it is called
 * (its identity is taken in call order); a rejection nobody observes is not reported as
 * unhandled, because an unawaited operation is legitimate orchestration code.
 */
export class DurablePromise<T> implements Promise<T> {
  private readonly promise: Promise<T>;
  private executed = false;
  private readonly executedListeners: Array<() => void> = [];

  constructor(executor: () => Promise<T>) {
    this.promise = running.run(this as DurablePromise<unknown>, executor);
    this.promise.catch(() => undefined);
  }

  /** Calls listener once something awaits this promise (at once if something already did). */
  onExecuted(listener: () => void): void {
    if (this.executed) listener();
    else this.executedListeners.push(listener);
  }
  private markExecuted(): void {
    if (this.executed) return;
    this.executed = true;
    for (const listener of this.executedListeners.splice(0)) listener();
  }
  then<TResult1 = T, TResult2 = never>(
    onfulfilled?: ((value: T) => TResult1 | PromiseLike<TResult1>) | undefined | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | undefined | null,
  ): Promise<TResult1 | TResult2> {
    this.markExecuted();
    return this.promise.then(onfulfilled, onrejected);
  }
  catch<TResult = never>(onrejected?: ((reason: unknown) => TResult | PromiseLike<TResult>) | undefined | null): Promise<T | TResult> {
    return this.then(undefined, onrejected);
  }
  finally(onfinally?: (() => void) | undefined | null): Promise<T> {
    this.markExecuted();
    return this.promise.finally(onfinally);
  }
  get [Symbol.toStringTag](): string {
    return "DurablePromise";
  }
  get isExecuted(): boolean {
    return this.executed;
  }
}
