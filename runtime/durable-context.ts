import { ContextScope, sourcePositionOf } from "./context-scope.js";
import { contextUsageError } from "./context-usage.js";
import { DurablePromise } from "./durable-promise.js";
import { batch } from "./operations/batch.js";
import { createCallback } from "./operations/callback.js";
import { childContext, childContextOptions } from "./operations/child-context.js";
import { invoke } from "./operations/invoke.js";
import { promiseCombinators } from "./operations/promise-combinators.js";
import { patched, recordedNow } from "./operations/recorded-values.js";
import { step } from "./operations/step.js";
import { wait } from "./operations/wait.js";
import { waitForCallback } from "./operations/wait-for-callback.js";
import { waitForCondition } from "./operations/wait-for-condition.js";
import { OperationSubType } from "./operation-model.js";
import type { SerdesConfig } from "./serdes.js";
import type {
  BatchResult,
  DurableContext,
  DurableContextLogger,
  DurableLogger,
  LambdaContext,
  LoggerConfig,
  MapConfig,
  MapFunc,
  NamedParallelBranch,
  ParallelConfig,
  ParallelFunc,
} from "./types.js";

// Overloads put the optional name first; a string or undefined first argument is the name.
const hasName = (first: unknown): boolean => typeof first === "string" || first === undefined;

/** The context a handler receives. Every method parses its overload and hands off to an operation. */
export class DurableContextImpl implements DurableContext<DurableLogger> {
  readonly logger: DurableContextLogger<DurableLogger>;
  readonly executionContext: { readonly durableExecutionArn: string };
  readonly lambdaContext: LambdaContext;
  readonly promise: DurableContext["promise"];

  constructor(private readonly scope: ContextScope) {
    this.logger = scope.logger();
    this.executionContext = { durableExecutionArn: scope.invocation.executionArn };
    this.lambdaContext = scope.invocation.lambdaContext;
    this.promise = promiseCombinators(scope) as unknown as DurableContext["promise"];
  }

  /**
   * As the AWS SDK's validateContextUsage: an operation called inside step code, or on an
   * outer context inside a child context, ends the execution with an error the handler
   * cannot catch (the operation never settles) instead of leaving the step waiting forever.
   */
  private misused(operation: string): DurablePromise<never> | undefined {
    const error = contextUsageError(operation, this.scope.contextId);
    if (!error) return undefined;
    const { invocation } = this.scope;
    return new DurablePromise(() => invocation.fail(error));
  }

  step(...args: unknown[]): DurablePromise<any> {
    const misused = this.misused("step");
    if (misused) return misused;
    const [name, fn, config] = hasName(args[0]) ? args : [undefined, ...args];
    return step(this.scope, name as string | undefined, fn as never, config as never);
  }

  invoke(...args: unknown[]): DurablePromise<any> {
    const misused = this.misused("invoke");
    if (misused) return misused;
    // invoke(name, funcId, input?, config?) vs invoke(funcId, input?, config?): a second string argument is the function id.
    const named = typeof args[0] === "string" && typeof args[1] === "string";
    const [name, funcId, input, config] = named ? args : [undefined, ...args];
    return invoke(this.scope, name as string | undefined, funcId as string, input, config as never);
  }

  runInChildContext(...args: unknown[]): DurablePromise<any> {
    const misused = this.misused("runInChildContext");
    if (misused) return misused;
    const [name, fn, config] = hasName(args[0]) ? args : [undefined, ...args];
    const body = fn as (ctx: DurableContext) => Promise<unknown>;
    return childContext(this.scope, name as string | undefined, (child) => body(new DurableContextImpl(child)), childContextOptions(config as never, fn));
  }

  wait(...args: unknown[]): DurablePromise<void> {
    const misused = this.misused("wait");
    if (misused) return misused;
    const [name, duration] = typeof args[0] === "string" ? args : [undefined, args[0]];
    return wait(this.scope, name as string | undefined, duration as never);
  }

  waitForCondition(...args: unknown[]): DurablePromise<any> {
    const misused = this.misused("waitForCondition");
    if (misused) return misused;
    const [name, check, config] = hasName(args[0]) ? args : [undefined, ...args];
    return waitForCondition(this.scope, name as string | undefined, check as never, config as never);
  }

  createCallback(...args: unknown[]): DurablePromise<any> {
    const misused = this.misused("createCallback");
    if (misused) return misused;
    const [name, config] = hasName(args[0]) ? args : [undefined, ...args];
    return createCallback(this.scope, name as string | undefined, config as never);
  }

  waitForCallback(...args: unknown[]): DurablePromise<any> {
    const misused = this.misused("waitForCallback");
    if (misused) return misused;
    const [name, submitter, config] = hasName(args[0]) ? args : [undefined, ...args];
    return waitForCallback(this.scope, name as string | undefined, submitter as never, config as never);
  }

  map(...args: unknown[]): DurablePromise<BatchResult<any>> {
    const misused = this.misused("map");
    if (misused) return misused;
    const [name, items, mapFunc, config] = (hasName(args[0]) ? args : [undefined, ...args]) as [
      string | undefined,
      unknown[],
      MapFunc<unknown, unknown, DurableLogger>,
      MapConfig<unknown, unknown> | undefined,
    ];
    const specs = items.map((item, index) => ({
      name: config?.itemNamer?.(item, index) ?? `map-item-${index}`,
      run: (child: ContextScope) => mapFunc(new DurableContextImpl(child), item, index, items),
    }));
    return batch(this.scope, name, specs, {
      subType: OperationSubType.MAP,
      itemSubType: OperationSubType.MAP_ITERATION,
      maxConcurrency: config?.maxConcurrency,
      completionConfig: config?.completionConfig,
      itemSerdes: config?.itemSerdes,
      serdes: config?.serdes,
      summaryGenerator: config?.summaryGenerator,
      nesting: config?.nesting,
    });
  }

  parallel(...args: unknown[]): DurablePromise<BatchResult<any>> {
    const misused = this.misused("parallel");
    if (misused) return misused;
    const [name, branches, config] = (hasName(args[0]) ? args : [undefined, ...args]) as [
      string | undefined,
      Array<ParallelFunc<unknown> | NamedParallelBranch<unknown, DurableLogger>>,
      ParallelConfig<unknown> | undefined,
    ];
    const specs = branches.map((branch, index) => {
      const func = typeof branch === "function" ? branch : branch.func;
      const branchName = typeof branch === "function" ? undefined : branch.name;
      return { name: branchName ?? `parallel-branch-${index}`, run: (child: ContextScope) => func(new DurableContextImpl(child)) };
    });
    return batch(this.scope, name, specs, {
      subType: OperationSubType.PARALLEL,
      itemSubType: OperationSubType.PARALLEL_BRANCH,
      maxConcurrency: config?.maxConcurrency,
      completionConfig: config?.completionConfig,
      itemSerdes: config?.itemSerdes,
      serdes: config?.serdes,
      summaryGenerator: config?.summaryGenerator,
      nesting: config?.nesting,
    });
  }

  configureLogger(config: LoggerConfig<DurableLogger>): void {
    this.scope.loggerSettings.configure(config);
  }

  configureSerdes(config: SerdesConfig): void {
    Object.assign(this.scope.invocation.serdesConfig, config);
  }

  random(): number {
    return this.scope.random.next();
  }

  uuid(): string {
    return this.scope.random.uuid();
  }

  now(): number {
    return recordedNow(this.scope);
  }

  patched(patchId: string): boolean {
    return patched(this.scope, patchId);
  }
}

export { sourcePositionOf };
