// Random durable handler programs as data, for property-handlers.test.ts: a generator
// (fast-check), a direct interpreter (a plain recursive evaluator of the data, no runtime),
// and a builder that turns the same data into a real handler on replayable's runtime API.
//
// A program is a block: a list of nodes run in order in one context. Every node yields a
// JSON value or an error { kind, message }; a node with `catch` turns its error into
// { caught: error }, otherwise the error ends the block (and the child context, batch item or
// execution around it). A block's value is the array of its nodes' values.
import fc from "fast-check";
import {
  CallbackError,
  CallbackTimeoutError,
  ChildContextError,
  createRetryStrategy,
  JitterStrategy,
  NestingType,
  StepError,
  StepSemantics,
  withDurableExecution,
  type BatchResult,
  type CompletionConfig,
  type DurableContext,
} from "../../runtime/index.js";

export type Name = string | undefined;

export type ProgramNode =
  /** A step whose body fails its first `fails` attempts; `maxAttempts` attempts in all. */
  | { type: "step"; id: number; name: Name; fails: number; maxAttempts: number; atMostOnce: boolean; catch: boolean }
  | { type: "wait"; id: number; name: Name; seconds: number }
  /** `throw new Error(...)` in orchestration code. */
  | { type: "throw"; id: number; catch: boolean }
  /** waitForCondition: counts from 0 to `target`, one check per second. */
  | { type: "condition"; id: number; name: Name; target: number }
  | { type: "child"; id: number; name: Name; body: ProgramNode[]; catch: boolean }
  /** Nodes started together in one context and awaited with Promise.allSettled: [{ ok } | { err }]. */
  | { type: "concurrent"; id: number; nodes: ProgramNode[] }
  /** map over blocks: each item is the block its item function runs. */
  | { type: "map"; id: number; name: Name; items: ProgramNode[][]; maxConcurrency: number | undefined; config: BatchConfigChoice; flat: boolean }
  | {
      type: "parallel";
      id: number;
      name: Name;
      branches: ProgramNode[][];
      namedBranches: boolean;
      maxConcurrency: number | undefined;
      config: BatchConfigChoice;
      /** nesting: NestingType.FLAT (items in virtual contexts) instead of the default NESTED. */
      flat: boolean;
    }
  /**
   * createCallback + await, or waitForCallback. The outside world (the test) sends success or
   * failure; "timeout" sends nothing and the callback has a timeout. A failing submitter
   * (waitForCallback only) fails the operation before any outcome matters.
   */
  | { type: "callback"; id: number; api: "create" | "waitFor"; outcome: "succeed" | "fail" | "timeout"; submitterFails: boolean; catch: boolean };

/**
 * A batch's completionConfig. Without one (default) a batch completes at its first failed item,
 * with a failure count over `count` or a failure percentage over `percentage` at the failure
 * that exceeds it; the items still running are left STARTED. Which items finished by then
 * depends on timing: the interpreter gives the pattern every such result matches.
 */
export type BatchConfigChoice = { kind: "default" } | { kind: "count"; count: number } | { kind: "percentage"; percentage: number };

export interface Program {
  body: ProgramNode[];
  /** How the runner resumes after a suspension. */
  resumption: "replay" | "warm";
  /**
   * The payload limit (withDurableExecution's maxPayloadBytes); undefined is the default 256 KiB.
   * A small one puts most child context, map and parallel results over it, so replays rebuild
   * them by re-running their bodies (ReplayChildren). The handler's own result would be over it
   * too: with a limit, the handler returns "stored" and hands its value to the test directly.
   */
  maxPayloadBytes?: number | undefined;
}

export type ErrorKind = "step" | "child" | "callback" | "callback-timeout" | "error";
export type ErrorInfo = { kind: ErrorKind; message: string };
export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };
export type Outcome = { ok: Value } | { err: ErrorInfo };

// ---------------------------------------------------------------------------------------------
// Generation

type RawNode = Omit<ProgramNode, "id" | "body" | "items" | "branches" | "nodes"> & {
  body?: RawNode[];
  nodes?: RawNode[];
  items?: RawNode[][];
  branches?: RawNode[][];
};

/** A few names, so that named operations repeat in one context (occurrence counting), and no name. */
const nameArb = fc.constantFrom<Name>(undefined, undefined, "a", "b", "c");
const batchConfigArb: fc.Arbitrary<BatchConfigChoice> = fc.oneof(
  fc.constant({ kind: "default" as const }),
  fc.record({ kind: fc.constant("count" as const), count: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant("percentage" as const), percentage: fc.constantFrom(0, 50, 100) }),
);
const concurrencyArb = fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined });

export function programArbitrary(options: { maxDepth?: number; maxBlock?: number } = {}): fc.Arbitrary<Program> {
  const maxDepth = options.maxDepth ?? 3;
  const maxBlock = options.maxBlock ?? 5;
  const step = fc.record({
    type: fc.constant("step" as const),
    name: nameArb,
    fails: fc.constantFrom(0, 0, 0, 1, 2, 3),
    maxAttempts: fc.integer({ min: 1, max: 3 }),
    atMostOnce: fc.boolean(),
    catch: fc.boolean(),
  });
  const wait = fc.record({ type: fc.constant("wait" as const), name: nameArb, seconds: fc.integer({ min: 1, max: 120 }) });
  const throwNode = fc.record({ type: fc.constant("throw" as const), catch: fc.boolean() });
  const condition = fc.record({ type: fc.constant("condition" as const), name: nameArb, target: fc.integer({ min: 1, max: 3 }) });
  const callback = fc.record({
    type: fc.constant("callback" as const),
    api: fc.constantFrom("create" as const, "waitFor" as const),
    outcome: fc.constantFrom("succeed" as const, "fail" as const, "timeout" as const),
    submitterFails: fc.constantFrom(false, false, false, true),
    catch: fc.boolean(),
  });
  const tree = fc.letrec<{ node: RawNode; block: RawNode[] }>((tie) => ({
    node: fc.oneof(
      { maxDepth, depthIdentifier: "program" },
      // Leaves first: past maxDepth, fast-check picks the first arbitrary.
      { arbitrary: step, weight: 6 },
      { arbitrary: wait, weight: 2 },
      { arbitrary: callback, weight: 3 },
      { arbitrary: condition, weight: 1 },
      { arbitrary: throwNode, weight: 1 },
      {
        arbitrary: fc.record({ type: fc.constant("child" as const), name: nameArb, body: tie("block"), catch: fc.boolean() }),
        weight: 2,
      },
      {
        arbitrary: fc.record({ type: fc.constant("concurrent" as const), nodes: fc.array(tie("node"), { minLength: 2, maxLength: 3, depthIdentifier: "program" }) }),
        weight: 2,
      },
      {
        arbitrary: fc.record({
          type: fc.constant("map" as const),
          name: nameArb,
          items: fc.array(tie("block"), { maxLength: 3 }),
          maxConcurrency: concurrencyArb,
          config: batchConfigArb,
          flat: fc.boolean(),
        }),
        weight: 2,
      },
      {
        arbitrary: fc.record({
          type: fc.constant("parallel" as const),
          name: nameArb,
          branches: fc.array(tie("block"), { maxLength: 3 }),
          namedBranches: fc.boolean(),
          maxConcurrency: concurrencyArb,
          config: batchConfigArb,
          flat: fc.boolean(),
        }),
        weight: 2,
      },
    ) as fc.Arbitrary<RawNode>,
    block: fc.array(tie("node"), { maxLength: maxBlock, depthIdentifier: "program" }),
  }));
  return fc
    .record({
      body: fc.array(tree.node, { minLength: 1, maxLength: maxBlock + 1 }),
      resumption: fc.constantFrom("replay" as const, "warm" as const),
      // Not below ~200 bytes: a batch over the limit records a summary of about 180 bytes in its place.
      maxPayloadBytes: fc.constantFrom(undefined, undefined, undefined, 256, 400, 1000),
    })
    .map(({ body, resumption, maxPayloadBytes }) => ({ body: numbered(body), resumption, maxPayloadBytes }));
}

/** Gives every node a unique id, in preorder: callbacks are found by the name derived from it. */
function numbered(raw: RawNode[]): ProgramNode[] {
  let next = 0;
  const block = (nodes: RawNode[]): ProgramNode[] => nodes.map(node);
  const node = (raw: RawNode): ProgramNode => {
    const id = next++;
    switch (raw.type) {
      case "child":
        return { ...(raw as Extract<ProgramNode, { type: "child" }>), id, body: block(raw.body ?? []) };
      case "concurrent":
        return { type: "concurrent", id, nodes: block(raw.nodes ?? []) };
      case "map":
        return { ...(raw as Extract<ProgramNode, { type: "map" }>), id, items: (raw.items ?? []).map(block) };
      case "parallel":
        return { ...(raw as Extract<ProgramNode, { type: "parallel" }>), id, branches: (raw.branches ?? []).map(block) };
      case "callback": {
        const callback = raw as Extract<ProgramNode, { type: "callback" }>;
        // Only waitForCallback has a submitter.
        return { ...callback, id, submitterFails: callback.api === "waitFor" && callback.submitterFails };
      }
      default:
        return { ...(raw as ProgramNode), id } as ProgramNode;
    }
  };
  return block(raw);
}

// ---------------------------------------------------------------------------------------------
// Names and values both sides agree on

export const callbackName = (id: number): string => `cb${id}`;
export const callbackValue = (id: number): string => `ok-${id}`;
export const callbackRejection = (id: number): string => `rejected-${id}`;
export const stepFailure = (id: number, attempt: number): string => `fail-${id}-${attempt}`;
export const submitterFailure = (id: number): string => `submit-${id}`;
export const thrown = (id: number): string => `boom-${id}`;
export const CALLBACK_TIMEOUT_SECONDS = 30;
/** The waitForCallback submitter's attempts when it fails. */
export const SUBMITTER_ATTEMPTS = 2;

// ---------------------------------------------------------------------------------------------
// The direct interpretation

/**
 * A batch that completes early (a failure broke its tolerance): its result lists the items that
 * started, a prefix in index order (items start in index order; one never started is not
 * listed, as in the AWS SDK); exactly `failures` of them failed, as interpreted; every other one
 * finished as interpreted or is still STARTED ({ i, started: true }).
 */
export class EarlyBatch {
  constructor(
    readonly items: readonly Expected[],
    readonly failures: number,
  ) {}
}
/** What the interpreter expects: a value, with patterns where timing decides. */
export type Expected = null | boolean | number | string | EarlyBatch | Expected[] | { [key: string]: Expected };
export type ExpectedOutcome = { ok: Expected } | { err: ErrorInfo };

export interface Interpretation {
  outcome: ExpectedOutcome;
  /**
   * How many times each step body and waitForCallback submitter runs ("step:<id>", "submit:<id>"):
   * [min, max]; [0, n] inside items a batch may leave running.
   */
  bodyRuns: Map<string, readonly [number, number]>;
}

/** The failure count at which a batch completes early, or undefined when it tolerates `failures`. */
export function earlyCompletionAt(config: BatchConfigChoice, total: number, failures: number): number | undefined {
  let threshold: number | undefined;
  if (config.kind === "default") threshold = 1;
  else if (config.kind === "count") threshold = config.count + 1;
  else if (total > 0) threshold = Math.floor((config.percentage * total) / 100) + 1; // the first count over percentage
  return threshold !== undefined && threshold <= total && failures >= threshold ? threshold : undefined;
}

export function interpret(program: Program): Interpretation {
  const bodyRuns = new Map<string, readonly [number, number]>();
  const block = (nodes: readonly ProgramNode[], mayBeLeft: boolean): ExpectedOutcome => {
    const values: Expected[] = [];
    for (const node of nodes) {
      const outcome = caught(node, run(node, mayBeLeft));
      if ("err" in outcome) return outcome;
      values.push(outcome.ok);
    }
    return { ok: values };
  };
  const caught = (node: ProgramNode, outcome: ExpectedOutcome): ExpectedOutcome =>
    "err" in outcome && "catch" in node && node.catch ? { ok: { caught: { ...outcome.err } } } : outcome;
  const runs = (key: string, count: number, mayBeLeft: boolean) => bodyRuns.set(key, [mayBeLeft ? 0 : count, count]);
  const batch = (blocks: readonly ProgramNode[][], config: BatchConfigChoice, mayBeLeft: boolean): ExpectedOutcome => {
    const outcomes = blocks.map((body) => block(body, true));
    const failures = outcomes.filter((outcome) => "err" in outcome).length;
    const early = earlyCompletionAt(config, blocks.length, failures);
    // Run again with the right certainty for the body counts.
    const items = blocks.map((body, i): Expected => {
      const outcome = block(body, mayBeLeft || early !== undefined);
      return "ok" in outcome ? { i, ok: outcome.ok } : { i, err: { kind: "child", message: outcome.err.message } };
    });
    if (early !== undefined) return { ok: new EarlyBatch(items, early) };
    return { ok: { reason: "ALL_COMPLETED", items } };
  };
  const run = (node: ProgramNode, mayBeLeft: boolean): ExpectedOutcome => {
    switch (node.type) {
      case "step": {
        runs(`step:${node.id}`, Math.min(node.fails + 1, node.maxAttempts), mayBeLeft);
        return node.fails < node.maxAttempts
          ? { ok: { step: node.id, attempt: node.fails + 1 } }
          : { err: { kind: "step", message: stepFailure(node.id, node.maxAttempts) } };
      }
      case "wait":
        return { ok: { wait: node.id } };
      case "throw":
        return { err: { kind: "error", message: thrown(node.id) } };
      case "condition":
        return { ok: node.target };
      case "child": {
        const outcome = block(node.body, mayBeLeft);
        return "ok" in outcome ? outcome : { err: { kind: "child", message: outcome.err.message } };
      }
      case "concurrent":
        return {
          ok: node.nodes.map((inner): Expected => {
            const outcome = caught(inner, run(inner, mayBeLeft));
            return "ok" in outcome ? { ok: outcome.ok } : { err: { ...outcome.err } };
          }),
        };
      case "map":
        return batch(node.items, node.config, mayBeLeft);
      case "parallel":
        return batch(node.branches, node.config, mayBeLeft);
      case "callback": {
        if (node.api === "waitFor") {
          runs(`submit:${node.id}`, node.submitterFails ? SUBMITTER_ATTEMPTS : 1, mayBeLeft);
          if (node.submitterFails) return { err: { kind: "callback", message: submitterFailure(node.id) } };
        }
        if (node.outcome === "succeed") return { ok: callbackValue(node.id) };
        if (node.outcome === "fail") return { err: { kind: "callback", message: callbackRejection(node.id) } };
        return { err: { kind: "callback-timeout", message: "Callback timed out" } };
      }
    }
  };
  return { outcome: block(program.body, false), bodyRuns };
}

/** Whether an actual value matches what the interpreter expects. */
export function matches(expected: Expected, actual: unknown): boolean {
  if (expected instanceof EarlyBatch) {
    if (!isRecord(actual) || actual.reason !== "FAILURE_TOLERANCE_EXCEEDED" || !Array.isArray(actual.items)) return false;
    const items = actual.items as unknown[];
    if (items.length > expected.items.length) return false;
    const failed = items.filter((item) => isRecord(item) && "err" in item).length;
    const started = (item: unknown, index: number) => isRecord(item) && item.i === index && item.started === true && Object.keys(item).length === 2;
    return failed === expected.failures && items.every((item, index) => started(item, index) || matches(expected.items[index] as Expected, item));
  }
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((value, index) => matches(value, actual[index]));
  if (expected !== null && typeof expected === "object") {
    if (!isRecord(actual)) return false;
    const keys = Object.keys(expected);
    return keys.length === Object.keys(actual).length && keys.every((key) => key in actual && matches(expected[key] as Expected, actual[key]));
  }
  return Object.is(expected, actual);
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** The expectation as plain data, for a readable diff when a value does not match. */
export function printable(expected: Expected): unknown {
  if (expected instanceof EarlyBatch) {
    return {
      reason: "FAILURE_TOLERANCE_EXCEEDED",
      [`items (a prefix; exactly ${expected.failures} failed; each other one as below or { i, started: true })`]: expected.items.map(printable),
    };
  }
  if (Array.isArray(expected)) return expected.map(printable);
  if (expected !== null && typeof expected === "object") return Object.fromEntries(Object.entries(expected).map(([key, value]) => [key, printable(value)]));
  return expected;
}

// ---------------------------------------------------------------------------------------------
// The real handler

export function describeError(error: unknown): ErrorInfo {
  const kind: ErrorKind =
    error instanceof CallbackTimeoutError
      ? "callback-timeout"
      : error instanceof CallbackError
        ? "callback"
        : error instanceof StepError
          ? "step"
          : error instanceof ChildContextError
            ? "child"
            : "error";
  return { kind, message: error instanceof Error ? error.message : String(error) };
}

const projectBatch = (result: BatchResult<Value>): Value => ({
  reason: result.completionReason,
  items: result.all.map((item): Value => {
    if (item.status === "SUCCEEDED") return { i: item.index, ok: item.result ?? null };
    if (item.status === "FAILED") return { i: item.index, err: describeError(item.error) };
    return { i: item.index, started: true };
  }),
});

function completionConfigOf(config: BatchConfigChoice): CompletionConfig | undefined {
  if (config.kind === "count") return { toleratedFailureCount: config.count };
  if (config.kind === "percentage") return { toleratedFailurePercentage: config.percentage };
  return undefined;
}

/**
 * The program as a handler on replayable's runtime. `bodyRuns` counts the step bodies and
 * submitters that ran (in every invocation, replay checks included); with a payload limit,
 * `returned` receives the value of every run that returned (the last invocation and its replay check).
 */
export function buildHandler(program: Program, bodyRuns: Map<string, number>, returned: Value[] = []) {
  const count = (key: string) => bodyRuns.set(key, (bodyRuns.get(key) ?? 0) + 1);

  /** A node, with its try/catch when it has one. */
  const guarded = async (ctx: DurableContext, node: ProgramNode): Promise<Value> => {
    if (!("catch" in node && node.catch)) return run(ctx, node);
    try {
      return await run(ctx, node);
    } catch (error) {
      return { caught: { ...describeError(error) } };
    }
  };

  const block = async (ctx: DurableContext, nodes: readonly ProgramNode[]): Promise<Value[]> => {
    const values: Value[] = [];
    for (const node of nodes) values.push(await guarded(ctx, node));
    return values;
  };

  const run = async (ctx: DurableContext, node: ProgramNode): Promise<Value> => {
    switch (node.type) {
      case "step": {
        const config = {
          semantics: node.atMostOnce ? StepSemantics.AtMostOncePerRetry : StepSemantics.AtLeastOncePerRetry,
          retryStrategy: createRetryStrategy({ maxAttempts: node.maxAttempts, initialDelay: { seconds: 1 }, jitter: JitterStrategy.NONE }),
        };
        const body = async ({ attempt }: { attempt: number }): Promise<Value> => {
          count(`step:${node.id}`);
          if (attempt <= node.fails) throw new Error(stepFailure(node.id, attempt));
          return { step: node.id, attempt };
        };
        return node.name === undefined ? ctx.step(body, config) : ctx.step(node.name, body, config);
      }
      case "wait":
        if (node.name === undefined) await ctx.wait({ seconds: node.seconds });
        else await ctx.wait(node.name, { seconds: node.seconds });
        return { wait: node.id };
      case "throw":
        throw new Error(thrown(node.id));
      case "condition": {
        const config = {
          initialState: 0,
          waitStrategy: (state: number) => (state >= node.target ? { shouldContinue: false as const } : { shouldContinue: true as const, delay: { seconds: 1 } }),
        };
        const check = async (state: number) => state + 1;
        return node.name === undefined ? ctx.waitForCondition(check, config) : ctx.waitForCondition(node.name, check, config);
      }
      case "child": {
        const body = (child: DurableContext) => block(child, node.body);
        return node.name === undefined ? ctx.runInChildContext(body) : ctx.runInChildContext(node.name, body);
      }
      case "concurrent": {
        // Every operation is claimed synchronously, in this order, before any of them settles.
        const settled = await Promise.allSettled(node.nodes.map((inner) => guarded(ctx, inner)));
        return settled.map((entry): Value => (entry.status === "fulfilled" ? { ok: entry.value } : { err: { ...describeError(entry.reason) } }));
      }
      case "map": {
        const config = { maxConcurrency: node.maxConcurrency, completionConfig: completionConfigOf(node.config), nesting: node.flat ? NestingType.FLAT : NestingType.NESTED };
        const fn = (child: DurableContext, item: ProgramNode[]) => block(child, item);
        const result = node.name === undefined ? await ctx.map(node.items, fn, config) : await ctx.map(node.name, node.items, fn, config);
        return projectBatch(result);
      }
      case "parallel": {
        const config = { maxConcurrency: node.maxConcurrency, completionConfig: completionConfigOf(node.config), nesting: node.flat ? NestingType.FLAT : NestingType.NESTED };
        const branches = node.branches.map((body, index) => {
          const func = (child: DurableContext) => block(child, body);
          return node.namedBranches ? { name: `branch-${index}`, func } : func;
        });
        const result = node.name === undefined ? await ctx.parallel(branches, config) : await ctx.parallel(node.name, branches, config);
        return projectBatch(result as BatchResult<Value>);
      }
      case "callback": {
        const timeout = node.outcome === "timeout" ? { timeout: { seconds: CALLBACK_TIMEOUT_SECONDS } } : {};
        if (node.api === "create") {
          const [promise] = await ctx.createCallback(callbackName(node.id), timeout);
          return await promise;
        }
        return ctx.waitForCallback(
          callbackName(node.id),
          async () => {
            count(`submit:${node.id}`);
            if (node.submitterFails) throw new Error(submitterFailure(node.id));
          },
          { ...timeout, retryStrategy: createRetryStrategy({ maxAttempts: SUBMITTER_ATTEMPTS, initialDelay: { seconds: 1 }, jitter: JitterStrategy.NONE }) },
        );
      }
    }
  };

  const limit = program.maxPayloadBytes;
  return withDurableExecution(
    async (_event: unknown, ctx: DurableContext) => {
      const value = await block(ctx, program.body);
      if (limit === undefined) return value;
      returned.push(value);
      return STORED;
    },
    limit === undefined ? undefined : { maxPayloadBytes: limit },
  );
}

/** What a handler with a payload limit returns; its value goes to `returned`. */
export const STORED = "stored";

/** The callbacks the test answers: every callback node whose outcome is sent from outside. */
export function answeredCallbacks(program: Program): Array<Extract<ProgramNode, { type: "callback" }>> {
  const found: Array<Extract<ProgramNode, { type: "callback" }>> = [];
  const visit = (nodes: readonly ProgramNode[]) => {
    for (const node of nodes) {
      if (node.type === "callback" && node.outcome !== "timeout" && !node.submitterFails) found.push(node);
      if (node.type === "child") visit(node.body);
      if (node.type === "concurrent") visit(node.nodes);
      if (node.type === "map") node.items.forEach(visit);
      if (node.type === "parallel") node.branches.forEach(visit);
    }
  };
  visit(program.body);
  return found;
}

/** A readable rendering of a program, for counterexamples. */
export function renderProgram(program: Program): string {
  const lines: string[] = [`resumption: ${program.resumption}${program.maxPayloadBytes === undefined ? "" : `, maxPayloadBytes ${program.maxPayloadBytes}`}`];
  const label = (name: Name) => (name === undefined ? "" : ` "${name}"`);
  const block = (nodes: readonly ProgramNode[], indent: string) => {
    for (const node of nodes) {
      const c = "catch" in node && node.catch ? " (caught)" : "";
      switch (node.type) {
        case "step":
          lines.push(`${indent}#${node.id} step${label(node.name)} fails ${node.fails}, maxAttempts ${node.maxAttempts}${node.atMostOnce ? ", at-most-once" : ""}${c}`);
          break;
        case "wait":
          lines.push(`${indent}#${node.id} wait${label(node.name)} ${node.seconds} s`);
          break;
        case "throw":
          lines.push(`${indent}#${node.id} throw${c}`);
          break;
        case "condition":
          lines.push(`${indent}#${node.id} waitForCondition${label(node.name)} to ${node.target}`);
          break;
        case "callback":
          lines.push(`${indent}#${node.id} ${node.api === "create" ? "createCallback" : "waitForCallback"} "${callbackName(node.id)}" ${node.outcome}${node.submitterFails ? ", submitter fails" : ""}${c}`);
          break;
        case "child":
          lines.push(`${indent}#${node.id} runInChildContext${label(node.name)}${c}`);
          block(node.body, `${indent}  `);
          break;
        case "concurrent":
          lines.push(`${indent}#${node.id} concurrently (Promise.allSettled)`);
          block(node.nodes, `${indent}  `);
          break;
        case "map":
        case "parallel": {
          const blocks = node.type === "map" ? node.items : node.branches;
          const config = node.config.kind === "default" ? "default" : node.config.kind === "count" ? `toleratedFailureCount ${node.config.count}` : `toleratedFailurePercentage ${node.config.percentage}`;
          lines.push(`${indent}#${node.id} ${node.type}${label(node.name)} maxConcurrency ${node.maxConcurrency ?? "-"}, ${config}${node.type === "parallel" && node.namedBranches ? ", named branches" : ""}${node.flat ? ", FLAT" : ""}`);
          blocks.forEach((body, index) => {
            lines.push(`${indent}  [${index}]`);
            block(body, `${indent}    `);
          });
          break;
        }
      }
    }
  };
  block(program.body, "  ");
  return lines.join("\n");
}
