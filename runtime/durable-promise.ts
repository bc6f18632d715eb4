/**
 * The promise every durable operation returns. The operation starts when it is called
 * (its identity is taken in call order); a rejection nobody observes is not reported as
 * unhandled, because an unawaited operation is legitimate orchestration code.
 */
export class DurablePromise<T> implements Promise<T> {
  private readonly promise: Promise<T>;
  private executed = false;

  constructor(executor: () => Promise<T>) {
    this.promise = executor();
    this.promise.catch(() => undefined);
  }
  then<TResult1 = T, TResult2 = never>(
    onfulfilled?: ((value: T) => TResult1 | PromiseLike<TResult1>) | undefined | null,
    onrejected?: ((reason: unknown) => TResult2 | PromiseLike<TResult2>) | undefined | null,
  ): Promise<TResult1 | TResult2> {
    this.executed = true;
    return this.promise.then(onfulfilled, onrejected);
  }
  catch<TResult = never>(onrejected?: ((reason: unknown) => TResult | PromiseLike<TResult>) | undefined | null): Promise<T | TResult> {
    return this.then(undefined, onrejected);
  }
  finally(onfinally?: (() => void) | undefined | null): Promise<T> {
    this.executed = true;
    return this.promise.finally(onfinally);
  }
  get [Symbol.toStringTag](): string {
    return "DurablePromise";
  }
  get isExecuted(): boolean {
    return this.executed;
  }
}
