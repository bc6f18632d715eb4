import type ts from "typescript";
import typescript from "./typescript.js";
import { DURABLE_OPERATIONS } from "./durable-api.js";
import { DURABLE_MARKER } from "./durable-marker.js";
import type { CallLink, Finding } from "./finding.js";
import { functionOfReference, isDeclaredFunction, type FunctionNode } from "./functions.js";
import { findHandlers, functionName, isDurableContextType, type DurableHandler } from "./handlers.js";
import { environmentUseAt, writtenEnvironmentNames } from "./environment-read.js";
import { findSource, type HazardSource, type SiteKind } from "./hazard-catalog.js";
import { helperFindingsIn } from "./helper-findings.js";
import { logsBeforeTerminalThrow } from "./terminal-throw.js";
import { checkInvokeTarget } from "./invoke-target.js";
import {
  bindingElementPath,
  CONTEXT_ROOT,
  durableOperationOf,
  durableOperationOfPath,
  referencePathOf,
  type PathResolution,
} from "./reference-path.js";
import { remoteFunctionOf } from "./remote-functions.js";
import { ScopeResolver } from "./scope.js";
import { STRUCTURE_CHECKS } from "./structure/index.js";
import { suggestionsFor } from "./suggestions.js";
import { isCallee, isInAsyncFunction, isValueReference, isWrite, skipOuterExpressions } from "./syntax.js";
import type { OrchestrationSite, WalkResult } from "./walk-result.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { SyntaxKind, forEachChild, isArrayLiteralExpression, isBindingElement, isBlock, isCallExpression, isElementAccessExpression, isFunctionLike, isIdentifier, isMethodDeclaration, isNewExpression, isObjectBindingPattern, isObjectLiteralExpression, isParameter, isPropertyAccessExpression, isPropertyAssignment, isReturnStatement, isShorthandPropertyAssignment, isVariableDeclaration } = typescript;

const LAST_TOKEN = SyntaxKind.LastToken;

export interface AnalysisOptions {
  /** Enables type-resolved durable contexts and helpers followed into other files. */
  readonly checker?: ts.TypeChecker | undefined;
  /**
   * The whole program (its checker is used when `checker` is not given): besides the file's own
   * findings, the hazards in its functions that handlers of other files reach (see helper-findings.ts).
   */
  readonly program?: ts.Program | undefined;
  /** False skips the structural checks (the transformer needs only the sources and operations). */
  readonly structure?: boolean;
}

/** A function analysed as orchestration code, and how it was reached. */
export interface OrchestrationFunction {
  readonly node: FunctionNode;
  readonly handler: DurableHandler;
  /** Empty for a handler; for a helper, the calls that led to it, innermost first. */
  readonly chain: readonly CallLink[];
}

export interface FileAnalysis {
  readonly handlers: readonly DurableHandler[];
  readonly orchestration: readonly OrchestrationFunction[];
  /** Functions that run as step code: step functions, waitForCondition checks, waitForCallback submitters. */
  readonly stepFunctions: ReadonlySet<ts.Node>;
  /** Durable operation calls found in orchestration code, with their operation name. */
  readonly operations: ReadonlyMap<ts.CallExpression, string>;
  readonly findings: readonly Finding[];
  /**
   * Hazards in helpers of other files that this file's orchestration code calls and that are
   * fixed where they are: reported when the helper's file is analysed with the program, not here.
   */
  readonly reachedElsewhere: readonly Finding[];
  /** The lexical scopes the analysis resolved names with, for later passes over the same file (step IDs). */
  readonly scopes?: ScopeResolver;
}

const EMPTY: FileAnalysis = { handlers: [], orchestration: [], stepFunctions: new Set(), operations: new Map(), findings: [], reachedElsewhere: [] };


/**
 * The one analysis: finds durable handlers, walks their orchestration code (and the
 * helpers it calls), and reports each non-deterministic site once.
 */
export function analyzeSourceFile(sourceFile: ts.SourceFile, options: AnalysisOptions = {}): FileAnalysis {
  const { program } = options;
  const checker = options.checker ?? program?.getTypeChecker();
  const structure = options.structure ?? true;
  const own = ownAnalysis(sourceFile, checker, structure);
  if (!program || !structure) return own;
  const inHelpers = helperFindingsIn(sourceFile, program, (file) => ownAnalysis(file, checker, true));
  return inHelpers.length === 0 ? own : { ...own, findings: mergeFindings(own.findings, inHelpers) };
}

/** With a checker, each file's own analysis is computed once per program: the helper index reads every file's. */
const ownAnalyses = new WeakMap<ts.TypeChecker, WeakMap<ts.SourceFile, FileAnalysis>>();

function ownAnalysis(sourceFile: ts.SourceFile, checker: ts.TypeChecker | undefined, structure: boolean): FileAnalysis {
  if (!checker) return DURABLE_MARKER.test(sourceFile.text) ? new FileAnalyzer(sourceFile, undefined, undefined, structure).run() : EMPTY;
  if (!structure) return new FileAnalyzer(sourceFile, checker, undefined, false).run();
  let cache = ownAnalyses.get(checker);
  if (!cache) ownAnalyses.set(checker, (cache = new WeakMap()));
  let analysis = cache.get(sourceFile);
  if (!analysis) cache.set(sourceFile, (analysis = new FileAnalyzer(sourceFile, checker).run()));
  return analysis;
}

/** A finding the file reports itself and the same site reached from another file: the latter names its callers. */
function mergeFindings(own: readonly Finding[], inHelpers: readonly Finding[]): Finding[] {
  const keys = new Set(inHelpers.map((finding) => findingKey(finding.rule, finding.start)));
  return [...own.filter((finding) => !keys.has(findingKey(finding.rule, finding.start))), ...inHelpers].sort((a, b) => a.start - b.start);
}

/**
 * What a function of another file does when orchestration code calls it: the hazards fixed at
 * the call (`atCall`: the function holds no context, so the call must move into a step) and
 * those fixed where they are (`elsewhere`, with chains relative to the function).
 */
interface Summary {
  readonly atCall: readonly Finding[];
  readonly elsewhere: readonly Finding[];
}

/**
 * Per program (one checker), the summary of each function of another file analysed as
 * orchestration code, by the parameters its callers pass a context in: computed once, reused
 * by every file and rule that calls it.
 */
const summaries = new WeakMap<ts.TypeChecker, Map<ts.Node, Map<string, Summary>>>();

/** How many functions of other files have been summarised for this program (for tests and tuning). */
export function summarizedFunctionCount(checker: ts.TypeChecker): number {
  return summaries.get(checker)?.size ?? 0;
}

function summaryOf(fn: FunctionNode, checker: ts.TypeChecker, contextArguments: readonly number[]): Summary {
  let cache = summaries.get(checker);
  if (!cache) summaries.set(checker, (cache = new Map()));
  let byContexts = cache.get(fn);
  if (!byContexts) cache.set(fn, (byContexts = new Map()));
  const key = contextArguments.join(",");
  const cached = byContexts.get(key);
  if (cached) return cached;
  byContexts.set(key, { atCall: [], elsewhere: [] }); // a recursive cycle sees an empty summary instead of looping
  const analyzer = new FileAnalyzer(fn.getSourceFile(), checker, { root: fn, contextArguments });
  const analysis = analyzer.run();
  const summary: Summary = {
    atCall: analysis.findings.filter((finding) => !analyzer.fixedWhereItIs(finding)),
    elsewhere: [...analysis.findings.filter((finding) => analyzer.fixedWhereItIs(finding)).map(fixInHelper), ...analysis.reachedElsewhere],
  };
  byContexts.set(key, summary);
  return summary;
}

/** Logging in a helper that holds no context: the helper is changed once, not each of its calls. */
function fixInHelper(finding: Finding): Finding {
  if (finding.category !== "console" || finding.contextName !== undefined) return finding;
  return { ...finding, fix: "give this helper the durable context's logger and log with it (context.logger is silent while replaying), or log only inside steps" };
}

class FileAnalyzer {
  readonly #sourceFile: ts.SourceFile;
  readonly #checker: ts.TypeChecker | undefined;
  readonly #scopes = new ScopeResolver();
  readonly #contextParameters = new Set<ts.ParameterDeclaration>();
  /** `({ ctx }) => ...` where the caller passed a context as `ctx`. */
  readonly #contextBindings = new Set<ts.BindingElement>();
  /** `(deps) => deps.ctx...` where the caller passed a context as `deps.ctx`. */
  readonly #contextMembers = new Map<ts.ParameterDeclaration, Set<string>>();
  readonly #resolution: PathResolution;
  readonly #orchestration: OrchestrationFunction[] = [];
  readonly #queue: OrchestrationFunction[] = [];
  /** Function -> number of known context parameters when it was last walked. */
  readonly #walked = new Map<ts.Node, number>();
  readonly #stepFunctions = new Set<ts.Node>();
  /** Child context bodies: code inside them must use their own context, never the parent's. */
  readonly #childBodies = new Set<ts.Node>();
  readonly #operations = new Map<ts.CallExpression, string>();
  readonly #operationUnits = new Map<ts.CallExpression, OrchestrationFunction>();
  /** Sites the structural checks look at, recorded during the one walk of orchestration code. */
  readonly #calls: OrchestrationSite<ts.CallExpression>[] = [];
  readonly #identifiers: OrchestrationSite<ts.Identifier>[] = [];
  readonly #writes: OrchestrationSite<ts.Expression>[] = [];
  readonly #tries: OrchestrationSite<ts.TryStatement>[] = [];
  readonly #findings = new Map<string, Finding>();
  /** Variable names the file writes into the environment, computed at the first environment read. */
  #writtenEnvironment: Set<string> | undefined;

  /** Set when summarising one function of this file for callers in other files. */
  readonly #summaryRoot: FunctionNode | undefined;
  /** The parameters of the summarised function its caller passes a context in. */
  readonly #summaryContexts: readonly number[];
  /** Findings in other files' helpers, fixed there (see FileAnalysis.reachedElsewhere). */
  readonly #reachedElsewhere: Finding[] = [];
  /** Handlers that take no context: never replayed (see #handlersWithoutContext). */
  #neverReplayed: readonly DurableHandler[] = [];

  readonly #structure: boolean;

  constructor(sourceFile: ts.SourceFile, checker: ts.TypeChecker | undefined, summary?: { root: FunctionNode; contextArguments: readonly number[] }, structure = true) {
    this.#sourceFile = sourceFile;
    this.#summaryRoot = summary?.root;
    this.#summaryContexts = summary?.contextArguments ?? [];
    this.#structure = structure && !summary;
    this.#checker = checker;
    this.#resolution = {
      scopes: this.#scopes,
      isContextParameter: (parameter) =>
        this.#contextParameters.has(parameter) ||
        (checker !== undefined && isDurableContextType(checker.getTypeAtLocation(parameter))),
      isContextByType: checker && ((expression) => isDurableContextType(checker.getTypeAtLocation(expression))),
      isContextBinding: (element) => this.#contextBindings.has(element),
      isContextMember: (access) => {
        if (this.#contextMembers.size === 0) return false;
        const base = skipOuterExpressions(access.expression);
        const parameter = isIdentifier(base) ? this.#scopes.resolveIdentifier(base)?.parent : undefined;
        return parameter !== undefined && isParameter(parameter) && (this.#contextMembers.get(parameter)?.has(access.name.text) ?? false);
      },
    };
  }

  run(): FileAnalysis {
    const root = this.#summaryRoot;
    const handlers = root
      ? [{ node: root, name: functionName(root) ?? "anonymous function", contextParameters: this.#summaryContexts.flatMap((index) => root.parameters[index] ?? []), runtime: undefined }]
      : findHandlers(this.#sourceFile, this.#resolution, this.#checker);
    this.#neverReplayed = root ? [] : this.#handlersWithoutContext(handlers);
    for (const handler of handlers) {
      for (const parameter of handler.contextParameters) this.#contextParameters.add(parameter);
      this.#queue.push({ node: handler.node, handler, chain: [] });
    }
    for (let unit = this.#queue.shift(); unit; unit = this.#queue.shift()) {
      const known = this.#knownContextCount(unit.node);
      if (this.#walked.get(unit.node) === known) continue;
      const firstVisit = !this.#walked.has(unit.node);
      this.#walked.set(unit.node, known);
      if (firstVisit) this.#orchestration.push(unit);
      this.#walkFunction(unit);
    }
    if (this.#structure) {
      const walk = this.#walkResult();
      for (const check of STRUCTURE_CHECKS) for (const finding of check(walk)) this.#add(finding);
    }
    const neverReplayed = this.#neverReplayed;
    const findings = [...this.#findings.values()]
      .filter((finding) => neverReplayed.length === 0 || !this.#onlyReachedFrom(finding, neverReplayed))
      .sort((a, b) => a.start - b.start);
    return {
      handlers,
      orchestration: this.#orchestration,
      stepFunctions: this.#stepFunctions,
      operations: this.#operations,
      findings,
      reachedElsewhere: this.#reachedElsewhere,
      scopes: this.#scopes,
    };
  }

  /**
   * Where a hazard found while summarising a helper is fixed: in the helper when a durable
   * context is in scope there (it can record the value itself) or when it is logging (one change
   * to the helper serves every call); otherwise at the call, which must move into a step.
   */
  fixedWhereItIs(finding: Finding): boolean {
    if (finding.category === "console") return true;
    for (let node: ts.Node | undefined = finding.node; node; node = node.parent) {
      if (isFunctionLike(node) && node.parameters.some((parameter) => this.#holdsContext(parameter))) return true;
    }
    return false;
  }

  #holdsContext(parameter: ts.ParameterDeclaration): boolean {
    if (this.#resolution.isContextParameter(parameter) || this.#contextMembers.has(parameter)) return true;
    return isObjectBindingPattern(parameter.name) && parameter.name.elements.some((element) => this.#contextBindings.has(element));
  }

  /**
   * Handlers given to withDurableExecution that take no context: they cannot issue a durable
   * operation, so nothing is recorded, the handler never replays, and what it reads is never
   * compared against a history (a `Date.now()` there is harmless). A handler that takes its
   * context is judged as usual, even where it issues nothing yet.
   */
  #handlersWithoutContext(handlers: readonly DurableHandler[]): DurableHandler[] {
    return handlers.filter((handler) => handler.wrapperCall && handler.node.parameters.length < 2);
  }

  /** The finding lies only in orchestration code of the given handlers. */
  #onlyReachedFrom(finding: Finding, handlers: readonly DurableHandler[]): boolean {
    const units = this.#orchestration.filter((unit) => unit.node.pos <= finding.start && finding.start < unit.node.end);
    return units.length > 0 && units.every((unit) => handlers.includes(unit.handler));
  }

  #walkResult(): WalkResult {
    return {
      sourceFile: this.#sourceFile,
      checker: this.#checker,
      scopes: this.#scopes,
      resolution: this.#resolution,
      contextParameters: this.#contextParameters,
      childBodies: this.#childBodies,
      stepFunctions: this.#stepFunctions,
      operations: this.#operations,
      operationUnits: this.#operationUnits,
      calls: this.#calls,
      identifiers: this.#identifiers,
      writes: this.#writes,
      tries: this.#tries,
    };
  }

  /** How much is known of a function's contexts; a helper is walked again when this grows. */
  #knownContextCount(node: FunctionNode): number {
    let count = 0;
    for (const parameter of node.parameters) {
      if (this.#contextParameters.has(parameter)) count++;
      count += this.#contextMembers.get(parameter)?.size ?? 0;
      if (isObjectBindingPattern(parameter.name)) {
        count += parameter.name.elements.filter((element) => this.#contextBindings.has(element)).length;
      }
    }
    return count;
  }

  #walkFunction(unit: OrchestrationFunction): void {
    // The sites only the structural checks look at are recorded only when they run.
    const structure = this.#structure;
    const visit = (node: ts.Node): void => {
      switch (node.kind) {
        case SyntaxKind.Identifier:
          // No children, never a write.
          if (structure && isValueReference(node as ts.Identifier)) this.#identifiers.push({ node: node as ts.Identifier, unit });
          this.#checkIdentifier(node as ts.Identifier, unit);
          return;
        case SyntaxKind.CallExpression: {
          const call = node as ts.CallExpression;
          const callee = referencePathOf(call.expression, this.#resolution);
          const operation = durableOperationOfPath(callee, DURABLE_OPERATIONS);
          if (operation) {
            this.#visitOperation(call, operation, unit, visit);
            return;
          }
          if (structure) this.#calls.push({ node: call, unit });
          this.#checkSiteAt(call, callee, "call", unit);
          this.#followHelpers(call, unit);
          break;
        }
        case SyntaxKind.NewExpression:
          this.#checkSite(node as ts.NewExpression, "new", unit);
          break;
        case SyntaxKind.PropertyAccessExpression: {
          const access = node as ts.PropertyAccessExpression;
          if (!isCallee(access) && this.#checkMemberRead(access, unit)) return;
          // The name after the dot is no value reference: only the object is visited.
          visit(access.expression);
          return;
        }
        case SyntaxKind.ElementAccessExpression:
          if (!isCallee(node) && this.#checkMemberRead(node as ts.ElementAccessExpression, unit)) return;
          break;
        case SyntaxKind.BindingElement:
          this.#checkBindingRead(node as ts.BindingElement, unit);
          break;
        case SyntaxKind.TryStatement:
          if (structure) this.#tries.push({ node: node as ts.TryStatement, unit });
          break;
        case SyntaxKind.AwaitExpression:
          if (this.#checker) this.#checkAwait(node as ts.AwaitExpression, unit, this.#checker);
          break;
        case SyntaxKind.ClassDeclaration:
        case SyntaxKind.ClassExpression:
          return;
        default:
          // Tokens (keywords, literals, punctuation) have no children and are never writes.
          if (node.kind <= LAST_TOKEN) return;
          if (isFunctionLike(node) && node !== unit.node && isDeclaredFunction(node)) return;
      }
      if (structure && isWrite(node)) this.#writes.push({ node: node as ts.Expression, unit });
      forEachChild(node, visit);
    };
    const body = unit.node.body;
    if (!body) return;
    this.#markPushedBranches(body);
    visit(body);
  }

  /**
   * `branches.push(async (b) => ...)` then `ctx.parallel(branches)`: the pushed functions are
   * child contexts, which must be known before the walk reaches them.
   */
  #markPushedBranches(body: ts.Node): void {
    const text = body.getText(this.#sourceFile);
    if (!text.includes(".parallel(") || !text.includes(".push(")) return;
    const lists = new Set<ts.Identifier>();
    const pushes: ts.CallExpression[] = [];
    const scan = (node: ts.Node): void => {
      if (isCallExpression(node) && isPropertyAccessExpression(node.expression)) {
        if (node.expression.name.text === "push") pushes.push(node);
        else if (referencePathOf(node.expression, this.#resolution) === `${CONTEXT_ROOT}.parallel`) {
          for (const argument of node.arguments) {
            const list = skipOuterExpressions(argument);
            const declaration = isIdentifier(list) ? this.#scopes.resolveIdentifier(list) : undefined;
            if (declaration) lists.add(declaration);
          }
        }
      }
      forEachChild(node, scan);
    };
    scan(body);
    for (const push of pushes) {
      const receiver = skipOuterExpressions((push.expression as ts.PropertyAccessExpression).expression);
      if (!isIdentifier(receiver)) continue;
      const declaration = this.#scopes.resolveIdentifier(receiver);
      if (!declaration || !lists.has(declaration)) continue;
      for (const argument of push.arguments) {
        const fn = branchFunction(argument, this.#scopes);
        if (fn) this.#markChildContext(fn);
      }
    }
  }

  /** `ctx.step(...)` gives "step", `ctx.promise.all(...)` gives "promise.all". */
  #durableOperation(call: ts.CallExpression): string | undefined {
    return durableOperationOf(call, this.#resolution, DURABLE_OPERATIONS);
  }

  #visitOperation(call: ts.CallExpression, operation: string, unit: OrchestrationFunction, visit: (node: ts.Node) => void): void {
    this.#operations.set(call, operation);
    this.#operationUnits.set(call, unit);
    // The receiver (`context` in `context.step`) is a use of a context, e.g. a parent's in a child.
    visit(call.expression);
    if (operation === "invoke") this.#checkInvoke(call);
    const region = DURABLE_OPERATIONS[operation];
    const stepArgument = region === "step" ? stepFunctionArgument(call) : undefined;
    for (const argument of call.arguments) {
      if (region === "step") {
        const fn = functionOfReference(argument, this.#scopes);
        if (fn) this.#stepFunctions.add(fn);
        // `ctx.step("at", Date.now)`: a function reference runs inside the step, not here.
        else if (argument !== stepArgument || !isReference(argument)) visitSkippingFunctions(argument, visit);
      } else if (region === "orchestration") {
        const branches = operation === "parallel" ? this.#parallelBranches(argument) : undefined;
        const functions = branches ?? [functionOfReference(argument, this.#scopes)];
        if (functions.every((fn) => fn === undefined)) {
          // `items.map((item) => async (branch) => ...)`: branches built in orchestration code.
          for (const fn of dynamicBranches(argument, this.#scopes)) this.#markChildContext(fn);
          visit(argument);
          continue;
        }
        for (const fn of functions) if (fn) this.#enterChildContext(fn, call, unit, visit);
      } else {
        visit(argument);
      }
    }
  }

  /** A child context body (runInChildContext, a map item, a parallel branch): its first parameter is a context. */
  #enterChildContext(fn: FunctionNode, call: ts.CallExpression, unit: OrchestrationFunction, visit: (node: ts.Node) => void): void {
    this.#markChildContext(fn);
    if (isDeclaredFunction(fn)) this.#enqueueHelper(fn, call, unit);
    else visit(fn);
  }

  #markChildContext(fn: FunctionNode): void {
    const parameter = fn.parameters[0];
    if (parameter) this.#contextParameters.add(parameter);
    this.#childBodies.add(fn);
  }

  #parallelBranches(argument: ts.Expression): (FunctionNode | undefined)[] | undefined {
    let list = skipOuterExpressions(argument);
    if (isIdentifier(list)) {
      const declaration = this.#scopes.resolveIdentifier(list)?.parent;
      if (declaration && isVariableDeclaration(declaration) && declaration.initializer) {
        list = skipOuterExpressions(declaration.initializer);
      }
    }
    if (!isArrayLiteralExpression(list)) return undefined;
    return list.elements.map((element) => branchFunction(element, this.#scopes));
  }

  /** Local functions called or passed as callbacks from orchestration code are orchestration code too. */
  #followHelpers(call: ts.CallExpression, unit: OrchestrationFunction): void {
    const callee = functionOfReference(call.expression, this.#scopes);
    const calleeNode = skipOuterExpressions(call.expression);
    if (callee && (isIdentifier(calleeNode) || isPropertyAccessExpression(calleeNode))) {
      call.arguments.forEach((argument, index) => {
        const parameter = callee.parameters[index];
        if (parameter) this.#passContext(argument, parameter);
      });
      this.#enqueueHelper(callee, call, unit);
    }
    for (const argument of call.arguments) {
      if (!isIdentifier(skipOuterExpressions(argument))) continue;
      const callback = functionOfReference(argument, this.#scopes);
      if (callback) this.#enqueueHelper(callback, call, unit);
    }
    const remote = !callee && this.#checker ? remoteFunctionOf(call.expression, this.#checker, this.#sourceFile) : undefined;
    if (remote) this.#addRemoteFindings(remote, call, unit, this.#checker!);
  }

  /**
   * A helper imported from another file of the program, from its summary: the hazards fixed at
   * the call are reported here, naming where they really are; the others, with the chain that
   * leads to them, are left to the helper's file (reachedElsewhere).
   */
  #addRemoteFindings(remote: FunctionNode, call: ts.CallExpression, unit: OrchestrationFunction, checker: ts.TypeChecker): void {
    const link = this.#link(remote, call, unit);
    const contextArguments = call.arguments.flatMap((argument, index) => (referencePathOf(argument, this.#resolution) === CONTEXT_ROOT ? [index] : []));
    const summary = summaryOf(remote, checker, contextArguments);
    if (!this.#neverReplayed.includes(unit.handler)) {
      for (const finding of summary.elsewhere) this.#reachedElsewhere.push({ ...finding, chain: [...finding.chain, link, ...unit.chain] });
    }
    for (const finding of summary.atCall) {
      const site = finding.node.getSourceFile();
      const line = site.getLineAndCharacterOfPosition(finding.node.getStart(site)).line + 1;
      this.#add({
        ...finding,
        node: call,
        start: call.getStart(this.#sourceFile),
        end: call.getEnd(),
        origin: finding.origin ?? { file: site.fileName, line },
        chain: [...finding.chain, link, ...unit.chain],
        suggestions: [],
      });
    }
  }

  /**
   * With types, awaiting a promise that is not a durable operation (nor a helper the
   * analysis follows) waits on I/O whose result is not recorded.
   */
  #checkAwait(node: ts.AwaitExpression, unit: OrchestrationFunction, checker: ts.TypeChecker): void {
    const operand = skipOuterExpressions(node.expression);
    // `await new Promise((r) => setTimeout(r, ms))` is a timer: no-timers reports it.
    if (isNewExpression(operand)) return;
    if (isCallExpression(operand)) {
      const callee = referencePathOf(operand.expression, this.#resolution);
      if (callee?.startsWith(`${CONTEXT_ROOT}.`) || callee?.startsWith("Promise.")) return;
      // `await fetch(url)`: the catalog reports the call itself, with its own fix.
      if (callee !== undefined && findSource("call", callee, operand.arguments.length)) return;
      if (functionOfReference(operand.expression, this.#scopes) || remoteFunctionOf(operand.expression, checker, this.#sourceFile)) return;
      if (this.#chainsOperation(operand)) return;
    }
    const type = checker.getTypeAtLocation(operand);
    if (type.getSymbol()?.getName() === "DurablePromise" || checker.getAwaitedType(type) === type) return;
    const start = operand.getStart(this.#sourceFile);
    this.#add({
      rule: "no-io-outside-step",
      category: "io",
      node: operand,
      start,
      end: operand.getEnd(),
      source: `await ${shorten(operand.getText(this.#sourceFile))}`,
      problem: "",
      fix: "this awaits a promise that is not a durable operation; move the work into context.step(...) so its result is recorded",
      chain: unit.chain,
      suggestions: [],
      runtime: unit.handler.runtime,
    });
  }

  /** `ctx.step(...).then(...)`: a chain on a durable operation. */
  #chainsOperation(call: ts.CallExpression): boolean {
    let node: ts.Expression = call;
    while (isCallExpression(node) && isPropertyAccessExpression(node.expression)) {
      node = skipOuterExpressions(node.expression.expression);
      if (isCallExpression(node) && this.#durableOperation(node)) return true;
    }
    return false;
  }

  /**
   * A context passed to a helper, directly (`charge(ctx)`) or inside an object
   * (`charge({ ctx, id })`, `charge(deps)` read as `deps.ctx`), is a context inside it too.
   */
  #passContext(argument: ts.Expression, parameter: ts.ParameterDeclaration): void {
    if (referencePathOf(argument, this.#resolution) === CONTEXT_ROOT) {
      this.#contextParameters.add(parameter);
      return;
    }
    const object = skipOuterExpressions(argument);
    if (!isObjectLiteralExpression(object)) return;
    for (const property of object.properties) {
      const value = isShorthandPropertyAssignment(property) ? property.name : isPropertyAssignment(property) ? property.initializer : undefined;
      const key = property.name && isIdentifier(property.name) ? property.name.text : undefined;
      if (!value || !key || referencePathOf(value, this.#resolution) !== CONTEXT_ROOT) continue;
      if (isObjectBindingPattern(parameter.name)) {
        const element = parameter.name.elements.find((candidate) => ((candidate.propertyName ?? candidate.name) as ts.Node).getText() === key);
        if (element) this.#contextBindings.add(element);
      } else {
        const members = this.#contextMembers.get(parameter) ?? new Set<string>();
        members.add(key);
        this.#contextMembers.set(parameter, members);
      }
    }
  }

  #enqueueHelper(fn: FunctionNode, callSite: ts.Node, unit: OrchestrationFunction): void {
    if (fn === unit.node && this.#walked.get(fn) === this.#knownContextCount(fn)) return;
    this.#queue.push({ node: fn, handler: unit.handler, chain: [this.#link(fn, callSite, unit), ...unit.chain] });
  }

  #link(fn: FunctionNode, callSite: ts.Node, unit: OrchestrationFunction): CallLink {
    const caller = unit.chain.length === 0 ? this.#handlerCaller(unit.handler.name) : `${unit.chain[0]!.callee}()`;
    const line = this.#sourceFile.getLineAndCharacterOfPosition(callSite.getStart(this.#sourceFile)).line + 1;
    return { callee: functionName(fn) ?? "anonymous function", caller, file: this.#sourceFile.fileName, line };
  }

  /** "handler processOrder"; "the handler" for one named `handler` (not "handler handler"); "quote()" in a summary. */
  #handlerCaller(name: string): string {
    if (this.#summaryRoot) return `${name}()`;
    return name === "handler" ? "the handler" : `handler ${name}`;
  }

  #checkInvoke(call: ts.CallExpression): void {
    const problem = checkInvokeTarget(call, this.#scopes, this.#checker);
    if (!problem) return;
    this.#add({
      rule: "qualified-invoke-target",
      category: "invoke-target",
      node: problem.node,
      start: problem.node.getStart(this.#sourceFile),
      end: problem.node.getEnd(),
      source: problem.target,
      problem: problem.problem,
      fix: 'publish a version or alias and invoke it by qualified name, e.g. "my-function:prod" or an ARN ending in ":prod"',
      chain: [],
      suggestions: [],
    });
  }

  /** A call or `new` of a source: `Math.random()`, `r()` where `const r = Math.random`, `new Date()`. */
  #checkSite(node: ts.CallExpression | ts.NewExpression, kind: SiteKind, unit: OrchestrationFunction): void {
    this.#checkSiteAt(node, referencePathOf(node.expression, this.#resolution), kind, unit);
  }

  /** #checkSite with the callee's path already resolved. */
  #checkSiteAt(node: ts.CallExpression | ts.NewExpression, path: string | undefined, kind: SiteKind, unit: OrchestrationFunction): void {
    if (path === undefined) return;
    const source = findSource(kind, path, node.arguments?.length ?? 0);
    if (!source) return;
    const reported = this.#report(node, source, path, unit);
    if (reported && this.#structure && kind === "call") this.#reportAliasDeclaration(node as ts.CallExpression, source, path, unit);
  }

  /**
   * `const draw = Math.random` in orchestration code, then `draw()` outside a step: besides the
   * call, the declaration, where the source comes in under another name (where AWS's plugin
   * reports it). Not for the transformer (no structure pass): it rewrites the calls.
   */
  #reportAliasDeclaration(call: ts.CallExpression, source: HazardSource, path: string, unit: OrchestrationFunction): void {
    const callee = skipOuterExpressions(call.expression);
    if (!isIdentifier(callee)) return;
    const declaration = this.#scopes.resolveIdentifier(callee);
    if (!declaration || isModuleLevel(declaration) || declaration.pos < unit.node.pos || declaration.end > unit.node.end) return;
    const holder = declaration.parent;
    const node = isVariableDeclaration(holder) ? holder.initializer : isBindingElement(holder) ? holder : undefined;
    if (!node) return;
    const line = this.#sourceFile.getLineAndCharacterOfPosition(call.getStart(this.#sourceFile)).line + 1;
    this.#report(node, source, path, unit, false, `${sourceName(path)} (taken as ${callee.text}, called at line ${line})`);
  }

  /** A read such as `process.env` or `ctx.lambdaContext.awsRequestId`; a source passed as a callback. */
  #checkMemberRead(node: ts.PropertyAccessExpression | ts.ElementAccessExpression, unit: OrchestrationFunction): boolean {
    const path = referencePathOf(node, this.#resolution);
    if (path === undefined) return false;
    const read = findSource("read", path, 0);
    const source = read ?? (isCallbackArgument(node) && isFunctionPath(path) ? findSource("call", path, 0) : undefined);
    if (source) this.#report(node, source, path, unit, read !== undefined);
    return source !== undefined;
  }

  /**
   * An identifier that stands for a source: an import or module-level alias of a read source
   * (`import { env } from "node:process"`), or a call source passed as a callback.
   * Aliases declared inside orchestration code are reported where they are declared.
   */
  #checkIdentifier(identifier: ts.Identifier, unit: OrchestrationFunction): void {
    if (!isValueReference(identifier)) return;
    const callback = isCallbackArgument(identifier);
    const declaration = this.#scopes.resolveIdentifier(identifier);
    if (!callback && (!declaration || !isModuleLevel(declaration))) return;
    const path = referencePathOf(identifier, this.#resolution);
    if (path === undefined) return;
    const read = declaration ? findSource("read", path, 0) : undefined;
    const source = read ?? (callback && isFunctionPath(path) ? findSource("call", path, 0) : undefined);
    if (source) this.#report(identifier, source, path, unit, read !== undefined);
  }

  /** `const { env } = process` reads the environment where it destructures. */
  #checkBindingRead(element: ts.BindingElement, unit: OrchestrationFunction): void {
    const path = bindingElementPath(element, this.#resolution, 0);
    if (path === undefined) return;
    const source = findSource("read", path, 0);
    if (source) this.#report(element, source, path, unit, false);
  }

  /**
   * `rewritable` is false where the site is not a value (a destructuring, a function passed as a
   * callback); `display` replaces the code as written in the message. False when the site is
   * not reported (logging right before a terminal throw).
   */
  #report(node: ts.Node, source: HazardSource, path: string, unit: OrchestrationFunction, rewritable = true, display?: string): boolean {
    const start = node.getStart(this.#sourceFile);
    if (this.#findings.has(findingKey(source.rule, start))) return true;
    if (source.category === "console" && logsBeforeTerminalThrow(node, unit)) return false;
    const environment = source.category === "env" ? this.#environmentProblem(node, path) : undefined;
    // A write into the environment is no value a step could record.
    const value = rewritable && !environment?.write;
    const contextName = value ? this.#contextNameAt(node, unit.node) : undefined;
    const suggestions = !value
      ? []
      : suggestionsFor(node as ts.Expression, source, {
          sourceFile: this.#sourceFile,
          contextName,
          isInAsyncFunction,
          runtime: unit.handler.runtime,
        });
    this.#add({
      rule: source.rule,
      category: source.category,
      node,
      start,
      end: node.getEnd(),
      source: display ?? displaySource(node, path, this.#sourceFile),
      problem: environment?.problem ?? "",
      fix: environment?.fix ?? source.fix,
      chain: unit.chain,
      suggestions,
      contextName,
      helper: source.helper,
      runtime: unit.handler.runtime,
      ...(environment?.configuration ? { configurationRead: true } : {}),
    });
    return true;
  }

  /** What a read of the environment or command line does on replay (see environment-read.ts). */
  #environmentProblem(node: ts.Node, path: string): { problem: string; fix: string; configuration?: boolean; write?: boolean } {
    if (path !== "process.env" && path !== "Deno.env") {
      return { problem: "reads the command line, which a resumed execution can be started with differently", fix: ENV_FIX };
    }
    this.#writtenEnvironment ??= writtenEnvironmentNames(this.#sourceFile.text);
    const use = environmentUseAt(node, this.#writtenEnvironment);
    const names = "names" in use ? use.names.join(", ") : "";
    switch (use.kind) {
      case "configuration":
        return { problem: `reads ${names}, which a function running on $LATEST can see changed by a deploy before a replay`, fix: ENV_FIX, configuration: true };
      case "per-invocation":
        return { problem: `reads ${names}, which Lambda sets per invocation or per execution environment, so a replay reads another value`, fix: "read it inside context.step(...) so the value is recorded" };
      case "written":
        return {
          problem: use.write
            ? `writes ${names} into the environment, where the write lives in one container: a replay in a fresh one does not see it`
            : `reads ${names}, which this file writes into the environment: a replay in a fresh container does not see the write`,
          fix: "pass the value in the execution's input or record it with context.step(...) instead of going through the environment",
          write: use.write,
        };
      case "whole":
        return {
          problem: "uses the whole environment, which holds per-invocation variables such as _X_AMZN_TRACE_ID that differ on every replay",
          fix: "read the variables you need by name, or record the object in context.step(...)",
        };
    }
  }

  #add(finding: Finding): void {
    const key = findingKey(finding.rule, finding.start);
    if (!this.#findings.has(key)) this.#findings.set(key, finding);
  }

  /** The innermost context parameter visible at a node, within the function being walked. */
  #contextNameAt(node: ts.Node, root: ts.Node): string | undefined {
    for (let current: ts.Node | undefined = node; current; current = current.parent) {
      if (isFunctionLike(current)) {
        const parameter = current.parameters.find((candidate) => this.#resolution.isContextParameter(candidate));
        if (parameter && isIdentifier(parameter.name)) return parameter.name.text;
        if (this.#childBodies.has(current)) return undefined;
      }
      if (current === root) return undefined;
    }
    return undefined;
  }
}

const ENV_FIX = "read it inside context.step(...), or pass the value in the execution's input";

function shorten(text: string): string {
  const line = text.split("\n")[0]!;
  return line.length > 60 || line !== text ? `${line.slice(0, 57)}...` : line;
}

/**
 * One report per site: `got(url).json()` is one I/O site although both calls match, so
 * findings are keyed by where they start; the outermost expression, visited first, is kept.
 */
function findingKey(rule: string, start: number): string {
  return `${rule}:${start}`;
}

/**
 * A path that can name a function passed as a callback (`Math.random`, `fetch`), as opposed
 * to an object a call or `new` returned (`new Worker()`, a pg pool): passing those is not a call.
 */
function isFunctionPath(path: string): boolean {
  return !path.includes("()") && !path.endsWith("#*");
}

function isReference(node: ts.Expression): boolean {
  const inner = skipOuterExpressions(node);
  return isIdentifier(inner) || isPropertyAccessExpression(inner) || isElementAccessExpression(inner);
}

/** The function argument of step, waitForCondition and waitForCallback: after the name, before the config. */
function stepFunctionArgument(call: ts.CallExpression): ts.Expression | undefined {
  const [first, second] = call.arguments;
  if (second && !isObjectLiteralExpression(skipOuterExpressions(second))) return second;
  return first;
}

/** Functions returned by the callback of `list.map(...)` / `flatMap(...)`: parallel branches built at run time. */
function dynamicBranches(argument: ts.Expression, scopes: ScopeResolver): FunctionNode[] {
  const call = skipOuterExpressions(argument);
  if (!isCallExpression(call) || !isPropertyAccessExpression(call.expression)) return [];
  if (!["map", "flatMap"].includes(call.expression.name.text) || !call.arguments[0]) return [];
  const callback = functionOfReference(call.arguments[0], scopes);
  if (!callback?.body) return [];
  const returned: ts.Expression[] = [];
  if (!isBlock(callback.body)) {
    returned.push(callback.body);
  } else {
    const collect = (node: ts.Node): void => {
      if (isFunctionLike(node)) return;
      if (isReturnStatement(node) && node.expression) returned.push(node.expression);
      forEachChild(node, collect);
    };
    forEachChild(callback.body, collect);
  }
  return returned.flatMap((expression) => branchFunction(expression, scopes) ?? []);
}

/** A parallel branch: a function, or `{ name, func }`. */
function branchFunction(expression: ts.Expression, scopes: ScopeResolver): FunctionNode | undefined {
  const branch = skipOuterExpressions(expression);
  if (!isObjectLiteralExpression(branch)) return functionOfReference(branch, scopes);
  const func = branch.properties.find((property) => property.name && isIdentifier(property.name) && property.name.text === "func");
  if (func && isPropertyAssignment(func)) return functionOfReference(func.initializer, scopes);
  if (func && isMethodDeclaration(func)) return func;
  return undefined;
}

function visitSkippingFunctions(node: ts.Node, visit: (node: ts.Node) => void): void {
  if (isFunctionLike(node)) return;
  if (isObjectLiteralExpression(node) || isArrayLiteralExpression(node)) {
    forEachChild(node, (child) => visitSkippingFunctions(child, visit));
    return;
  }
  if (isPropertyAssignment(node)) {
    visitSkippingFunctions(node.initializer, visit);
    return;
  }
  visit(node);
}


function isCallbackArgument(node: ts.Node): boolean {
  const parent = node.parent;
  return isCallExpression(parent) && parent.arguments.some((argument) => argument === node);
}

function isModuleLevel(declaration: ts.Node): boolean {
  for (let node: ts.Node | undefined = declaration.parent; node; node = node.parent) {
    if (isFunctionLike(node)) return false;
  }
  return true;
}


/** What a path names, for a message: "Math.random", 'v4 from "uuid"'. */
function sourceName(path: string): string {
  const module = /^mod:([^#]+)#(.+)$/.exec(path);
  return module ? `${module[2]} from "${module[1]}"` : path;
}

/** The code as written ("r()", "new Date()", "process.env"); when an alias or import hides the source, what it resolves to. */
function displaySource(node: ts.Node, path: string, sourceFile: ts.SourceFile): string {
  let spelled: string;
  let written: string;
  if (isCallExpression(node) || isNewExpression(node)) {
    spelled = skipOuterExpressions(node.expression).getText(sourceFile);
    written = isNewExpression(node) ? `new ${spelled}()` : `${spelled}()`;
  } else {
    spelled = node.getText(sourceFile);
    written = spelled;
  }
  spelled = spelled.replace(/^(?:globalThis|window|self|global)\./, "");
  if (path.startsWith(CONTEXT_ROOT)) return written;
  const module = /^mod:([^#]+)#(.+)$/.exec(path);
  if (module) {
    const [, name, exported] = module;
    if (spelled === exported || spelled.endsWith(`.${exported}`) || exported === "default") return `${written} from "${name}"`;
    return exported!.startsWith("default") ? `${written} (from "${name}")` : `${written} (${exported} from "${name}")`;
  }
  return spelled === path ? written : `${written} (${path})`;
}
