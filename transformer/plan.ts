import path from "node:path";
import type ts from "typescript";
import typescript from "../analysis/typescript.js";
import {
  analyzeSourceFile,
  computeOperationIds,
  describeChain,
  type AddedOperation,
  type FileAnalysis,
  type Finding,
  type OperationId,
  type Suggestion,
} from "../analysis/index.js";
import type { DiagnosticSeverity, ResolvedOptions, RewriteMode } from "./options.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { SyntaxKind, canHaveModifiers, isCallExpression, isFunctionLike, isImportDeclaration, isNamespaceImport, isStringLiteral } = typescript;

/** One durable operation of a transformed file and its ID (the `replayable ids --json` entry, without the file). */
export interface OperationIdEntry {
  /** The handler key: the handler's exported binding, or the module-level helper's name. */
  readonly handler: string;
  /** "step", "wait", "promise.all", ... */
  readonly type: string;
  /**
   * The name the operation is recorded under; null when its first argument may or may not be a
   * name (`invoke(event.target, event.payload)`): the transformer leaves it unnamed and warns.
   */
  readonly id: string | null;
  /** 1-based position of the operation call (of the rewritten site for a step the transformer adds). */
  readonly line: number;
  readonly column: number;
  /** True when the user wrote the name; the transformer never changes it. */
  readonly explicit: boolean;
}

export type DiagnosticCategory = Finding["category"] | "name";

export interface TransformDiagnostic {
  readonly severity: DiagnosticSeverity;
  readonly category: DiagnosticCategory;
  readonly rule: string;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly start: number;
  readonly end: number;
}

/** Offsets of a node without its leading trivia: [getStart(), end). */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/** A text edit with the node it stands for, so a text applier and an AST applier apply the same plan. */
export type PlannedEdit =
  /** Insert `"id", ` before the first argument (or `"id"` into empty parentheses). */
  | { readonly kind: "insert-name"; readonly call: ts.CallExpression; readonly callRange: Range; readonly start: number; readonly end: number; readonly text: string; readonly id: string }
  /** Replace an `undefined` written as the name. */
  | { readonly kind: "replace-name"; readonly call: ts.CallExpression; readonly callRange: Range; readonly node: ts.Expression; readonly start: number; readonly end: number; readonly text: string; readonly id: string }
  /** Replace a non-deterministic expression by its deterministic form. */
  | { readonly kind: "rewrite"; readonly node: ts.Node; readonly start: number; readonly end: number; readonly text: string; readonly mode: Exclude<RewriteMode, "report">; readonly replacement: Replacement }
  /**
   * Add `import * as replayable from "replayable"` after the last import, on the same line. A
   * namespace import, because its local name survives every module format (tsc's CommonJS
   * emit renames named imports, which synthesized references would not follow).
   */
  | { readonly kind: "import"; readonly after: ts.Statement | undefined; readonly start: number; readonly end: number; readonly text: string; readonly namespace: string };

/**
 * A rewrite's `text` in parts, from which the AST applier builds the same expression without
 * parsing it:
 * - helper: `context.random()`, or `replayable.deterministic(context).uuid()` when `namespace` is set;
 * - step: `await context.step("id", async () => <the replaced expression>)`; with `wrap: "new Date"`
 *   the step returns `Date.now()` and is wrapped in `new Date(...)`.
 */
export type Replacement =
  | { readonly kind: "helper"; readonly context: string; readonly helper: string; readonly namespace?: string; readonly wrap: ReplacementWrap }
  | { readonly kind: "step"; readonly context: string; readonly id: string; readonly wrap: ReplacementWrap };

/** What surrounds a replacement: `new Date(...)`, parentheses, or nothing. */
export type ReplacementWrap = "new Date" | "parentheses" | "";

export interface EditPlan {
  readonly fileName: string;
  readonly ids: readonly OperationIdEntry[];
  /** Sorted by start offset, never overlapping. */
  readonly edits: readonly PlannedEdit[];
  readonly diagnostics: readonly TransformDiagnostic[];
}

const PROBLEMS: Readonly<Partial<Record<Finding["category"], string>>> = {
  random: "runs again on every replay and returns a different value, so the execution can take another path",
  clock: "runs again on every replay and returns a different value, so the execution can take another path",
  gc: "runs again on every replay and returns a different value, so the execution can take another path",
  io: "does I/O outside a step: it runs again on every replay and its result is not recorded",
  env: "reads the environment outside a step; a replay in another container or after a deploy can read a different value",
  timer: "starts a timer in orchestration code: the wait is not recorded, keeps the function running and is lost when the execution suspends",
  invocation: "is different in every invocation, and each replay is a new invocation",
  console: "is written again on every replay, duplicating the log",
  "invoke-target": "",
};

/** Categories the transformer may rewrite; every other reported category is report-only. */
const REWRITABLE = new Set<Finding["category"]>(["random", "clock"]);
/** Categories the transformer reports (console output and invoke targets are the linter's business). */
const REPORTED = new Set<Finding["category"]>(["random", "clock", "gc", "io", "env", "timer", "invocation"]);

/**
 * The edit plan of one file: names for unnamed durable operations and rewrites or
 * diagnostics for each non-deterministic site the shared analysis found in orchestration code.
 */
export function planTransform(sourceFile: ts.SourceFile, options: ResolvedOptions, analysis?: FileAnalysis): EditPlan {
  const fileName = sourceFile.fileName;
  // analyzeSourceFile finds no handler, without walking, in a file that names neither entry point.
  const result = analysis ?? analyzeSourceFile(sourceFile, { structure: false });
  if (result.handlers.length === 0) return { fileName, ids: [], edits: [], diagnostics: [] };
  return new Planner(sourceFile, options, result).plan();
}

interface Decision {
  readonly finding: Finding;
  readonly edit?: { readonly start: number; readonly end: number; readonly text: string; readonly mode: Exclude<RewriteMode, "report">; readonly replacement: Replacement };
  readonly step?: { readonly suggestion: Suggestion; readonly localKey: string };
  readonly usesDeterministic?: boolean;
  /** Why no rewrite was made, for the diagnostic; undefined when the category is report-only or configured "report". */
  readonly reason?: string;
  readonly reported: boolean;
}

class Planner {
  readonly #sourceFile: ts.SourceFile;
  readonly #options: ResolvedOptions;
  readonly #analysis: FileAnalysis;
  readonly #baseName: string;
  /** The local name of the namespace import of "replayable", once a rewrite needs deterministic(ctx). */
  #namespace: string | undefined;

  constructor(sourceFile: ts.SourceFile, options: ResolvedOptions, analysis: FileAnalysis) {
    this.#sourceFile = sourceFile;
    this.#options = options;
    this.#analysis = analysis;
    this.#baseName = path.basename(sourceFile.fileName);
  }

  plan(): EditPlan {
    // A read of the version's configuration is the same on every replay: not reported (see no-env-outside-step).
    const decisions = this.#analysis.findings
      .filter((finding) => REPORTED.has(finding.category) && !finding.configurationRead)
      .map((finding) => this.#decide(finding));
    const added: AddedOperation[] = [];
    for (const decision of decisions) if (decision.step) added.push({ node: decision.finding.node, operation: "step", localKey: decision.step.localKey });
    const operationIds = computeOperationIds(this.#sourceFile, this.#analysis.handlers, this.#analysis.operations, added, this.#analysis.scopes);
    const idOfNode = new Map<ts.Node, OperationId>();
    for (const entry of operationIds) idOfNode.set(entry.node, entry);

    const edits: PlannedEdit[] = [];
    const diagnostics: TransformDiagnostic[] = [];
    const ids: OperationIdEntry[] = [];
    for (const entry of operationIds) {
      const nodeStart = entry.node.getStart(this.#sourceFile);
      const { line, character } = this.#sourceFile.getLineAndCharacterOfPosition(nodeStart);
      ids.push({ handler: entry.handlerKey, type: entry.operation, id: entry.name.kind === "ambiguous" ? null : entry.id, line: line + 1, column: character + 1, explicit: entry.explicit });
      if (!entry.call || !this.#options.names) continue;
      const call = entry.call;
      // The entry of a durable call is the call itself: its range starts where the entry does.
      const callRange = { start: nodeStart, end: call.getEnd() };
      if (entry.name.kind === "missing") {
        const literal = JSON.stringify(entry.id);
        // Right after the parenthesis, before any comment of the first argument (as tsc prints it).
        const start = call.arguments.pos;
        const next = this.#sourceFile.text.charAt(start);
        const text = call.arguments.length === 0 ? literal : next === " " || next === "\t" || next === "\r" || next === "\n" ? `${literal},` : `${literal}, `;
        edits.push({ kind: "insert-name", call, callRange, start, end: start, text, id: entry.id });
      } else if (entry.name.kind === "undefined") {
        const node = entry.name.node;
        edits.push({ kind: "replace-name", call, callRange, node, start: node.getStart(this.#sourceFile), end: node.getEnd(), text: JSON.stringify(entry.id), id: entry.id });
      } else if (entry.name.kind === "ambiguous") {
        diagnostics.push(
          this.#diagnostic(entry.name.node, "warning", "name", "step-id",
            `${this.#callText(call)} at ${this.#where(entry.name.node)} has a first argument that may or may not be its name, so no stable ID was given; pass the name as a string literal first argument`),
        );
      }
    }

    for (const decision of decisions) {
      const { finding } = decision;
      if (decision.edit) {
        edits.push({ kind: "rewrite", node: finding.node, ...decision.edit });
      } else if (decision.step) {
        const id = idOfNode.get(finding.node)!.id;
        const { data } = decision.step.suggestion;
        const context = data["context"]!;
        const edit = decision.step.suggestion.edits[0]!;
        const from = `${context}.step(${JSON.stringify(data["name"])}`;
        const text = edit.text.replace(from, `${context}.step(${JSON.stringify(id)}`);
        const replacement: Replacement = { kind: "step", context, id, wrap: wrapOf(data) };
        edits.push({ kind: "rewrite", node: finding.node, start: edit.start, end: edit.end, text, mode: "step", replacement });
      }
      if (decision.reported) diagnostics.push(this.#findingDiagnostic(finding, decision.reason));
    }

    if (this.#namespace !== undefined) edits.push(this.#importEdit(this.#namespace));
    edits.sort((a, b) => a.start - b.start || a.end - b.end);
    diagnostics.sort((a, b) => a.start - b.start);
    return { fileName: this.#sourceFile.fileName, ids, edits: withoutOverlaps(edits), diagnostics };
  }

  #decide(finding: Finding): Decision {
    if (!REWRITABLE.has(finding.category)) return { finding, reported: true };
    const mode = finding.category === "random" ? this.#options.random : this.#options.clock;
    if (mode === "report") return { finding, reported: true };
    const order: Exclude<RewriteMode, "report">[] = mode === "seeded" ? ["seeded", "step"] : ["step", "seeded"];
    for (const candidate of order) {
      const decision = candidate === "seeded" ? this.#seeded(finding) : this.#step(finding);
      if (decision) return decision;
    }
    return { finding, reported: true, reason: this.#whyNot(finding) };
  }

  /** context.random()/uuid()/now() on replayable; deterministic(ctx).random()/uuid() on any context. */
  #seeded(finding: Finding): Decision | undefined {
    const helper = finding.suggestions.find((suggestion) => suggestion.kind === "useContextHelper");
    if (helper) {
      const edit = helper.edits[0]!;
      const replacement: Replacement = { kind: "helper", context: helper.data["context"]!, helper: helper.data["helper"]!, wrap: wrapOf(helper.data) };
      return { finding, reported: false, edit: { start: edit.start, end: edit.end, text: edit.text, mode: "seeded", replacement } };
    }
    const node = finding.node;
    if (!finding.contextName || finding.runtime === "replayable" || (finding.helper !== "random" && finding.helper !== "uuid")) return undefined;
    if (!isCallExpression(node) || node.arguments.length > 0) return undefined;
    this.#namespace ??= this.#chooseNamespace();
    const text = `${this.#namespace}.deterministic(${finding.contextName}).${finding.helper}()`;
    const replacement: Replacement = { kind: "helper", context: finding.contextName, helper: finding.helper, namespace: this.#namespace, wrap: "" };
    return { finding, reported: false, usesDeterministic: true, edit: { start: finding.start, end: finding.end, text, mode: "seeded", replacement } };
  }

  #step(finding: Finding): Decision | undefined {
    const suggestion = finding.suggestions.find((candidate) => candidate.kind === "wrapInStep");
    if (!suggestion || suggestion.data["context"] === undefined || suggestion.data["name"] === undefined) return undefined;
    return { finding, reported: false, step: { suggestion, localKey: suggestion.data["name"] } };
  }

  #whyNot(finding: Finding): string {
    if (!finding.contextName) return "no durable context is in scope here";
    if (isInAsyncFunction(finding.node)) return "its value is not plain data that a step can record";
    if (finding.category === "clock" && finding.helper === "now" && finding.runtime !== "replayable") {
      return "await is not allowed here, and only replayable's context has now()";
    }
    return "await is not allowed here";
  }

  /** An existing `import * as x from "replayable"`, else "replayable" (or "__replayable" when that name is taken). */
  #chooseNamespace(): string {
    const existing = this.#existingNamespaceImport();
    if (existing) return existing;
    const text = this.#sourceFile.text;
    // The word can only be taken where the text contains it (indexOf is much cheaper than the lookbehind).
    return text.includes("replayable") && /(?<![\w$"'/@.-])replayable(?![\w$"'/-])/.test(text) ? "__replayable" : "replayable";
  }

  #existingNamespaceImport(): string | undefined {
    for (const statement of this.#sourceFile.statements) {
      if (!isImportDeclaration(statement) || !isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== "replayable") continue;
      const clause = statement.importClause;
      if (clause && !clause.isTypeOnly && clause.namedBindings && isNamespaceImport(clause.namedBindings)) return clause.namedBindings.name.text;
    }
    return undefined;
  }

  #importEdit(namespace: string): PlannedEdit {
    const imports = this.#sourceFile.statements.filter(isImportDeclaration);
    const last = imports[imports.length - 1];
    const at = last ? last.getEnd() : 0;
    const declaration = `import * as ${namespace} from "replayable";`;
    const text = this.#existingNamespaceImport() === namespace ? "" : last ? ` ${declaration}` : `${declaration} `;
    return { kind: "import", after: last, start: at, end: at, text, namespace };
  }

  #findingDiagnostic(finding: Finding, reason: string | undefined): TransformDiagnostic {
    const cannot = reason ? `; the transformer cannot rewrite it (${reason})` : "";
    const message = `${finding.source} at ${this.#where(finding.node)}${describeChain(finding.chain)} ${(finding.category === "env" && finding.problem) || PROBLEMS[finding.category] || "is not deterministic under replay"}${cannot}; ${finding.fix}.`;
    return this.#diagnostic(finding.node, this.#options.severity, finding.category, finding.rule, message);
  }

  #diagnostic(node: ts.Node, severity: DiagnosticSeverity, category: DiagnosticCategory, rule: string, message: string): TransformDiagnostic {
    const start = node.getStart(this.#sourceFile);
    const { line, character } = this.#sourceFile.getLineAndCharacterOfPosition(start);
    return { severity, category, rule, message, file: this.#sourceFile.fileName, line: line + 1, column: character + 1, start, end: node.getEnd() };
  }

  #where(node: ts.Node): string {
    const { line } = this.#sourceFile.getLineAndCharacterOfPosition(node.getStart(this.#sourceFile));
    return `${this.#baseName}:${line + 1}`;
  }

  #callText(call: ts.CallExpression): string {
    return `${call.expression.getText(this.#sourceFile)}(...)`;
  }
}

/** Keeps the outermost of overlapping rewrites (a nested site inside a rewritten one is rewritten with it). */
function withoutOverlaps(edits: PlannedEdit[]): PlannedEdit[] {
  const kept: PlannedEdit[] = [];
  for (const edit of edits) {
    const previous = kept[kept.length - 1];
    if (previous && edit.start < previous.end) continue;
    kept.push(edit);
  }
  return kept;
}

/**
 * `src/orders/order.ts:12:5 error io: fetch() at order.ts:12 does I/O ...`: an absolute file is
 * shown from the working directory, as tsc shows it, so two order.ts in two folders are told
 * apart; a relative name is kept as given.
 */
export function formatDiagnostic(diagnostic: TransformDiagnostic): string {
  const file = path.isAbsolute(diagnostic.file) ? path.relative(process.cwd(), diagnostic.file) : diagnostic.file;
  return `${file}:${diagnostic.line}:${diagnostic.column} ${diagnostic.severity} ${diagnostic.category}: ${diagnostic.message}`;
}

function isInAsyncFunction(node: ts.Node): boolean {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (isFunctionLike(current)) {
      return canHaveModifiers(current) && (current.modifiers?.some((modifier) => modifier.kind === SyntaxKind.AsyncKeyword) ?? false);
    }
  }
  return false;
}

function wrapOf(data: Readonly<Record<string, string>>): ReplacementWrap {
  const wrap = data["wrap"];
  if (wrap === "new Date" || wrap === "parentheses" || wrap === "") return wrap;
  throw new Error(`replayable/transformer: a suggestion without a known wrap (${JSON.stringify(wrap)})`);
}
