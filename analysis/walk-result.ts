import type ts from "typescript";
import typescript from "./typescript.js";
import type { OrchestrationFunction } from "./analyze-file.js";
import type { CallLink, Finding, RuleName, Suggestion } from "./finding.js";
import type { PathResolution } from "./reference-path.js";
import type { ScopeResolver } from "./scope.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { isStringLiteralLike } = typescript;

/** A node met in orchestration code, with the function it was reached through. */
export interface OrchestrationSite<T extends ts.Node> {
  readonly node: T;
  readonly unit: OrchestrationFunction;
}

/** What one walk of a file's orchestration code found: the input of every structural check. */
export interface WalkResult {
  readonly sourceFile: ts.SourceFile;
  readonly checker: ts.TypeChecker | undefined;
  readonly scopes: ScopeResolver;
  readonly resolution: PathResolution;
  readonly contextParameters: Set<ts.ParameterDeclaration>;
  readonly childBodies: ReadonlySet<ts.Node>;
  readonly stepFunctions: ReadonlySet<ts.Node>;
  readonly operations: ReadonlyMap<ts.CallExpression, string>;
  readonly operationUnits: ReadonlyMap<ts.CallExpression, OrchestrationFunction>;
  readonly calls: readonly OrchestrationSite<ts.CallExpression>[];
  readonly identifiers: readonly OrchestrationSite<ts.Identifier>[];
  readonly writes: readonly OrchestrationSite<ts.Expression>[];
  readonly tries: readonly OrchestrationSite<ts.TryStatement>[];
}

/** A structural check: reads the walk, returns findings. Pure. */
export type StructureCheck = (walk: WalkResult) => Finding[];

export interface StructureFindingInput {
  readonly rule: RuleName;
  readonly node: ts.Node;
  readonly unit?: OrchestrationFunction | undefined;
  /** Overrides the unit's chain (step code reached through helpers). */
  readonly chain?: readonly CallLink[];
  readonly source: string;
  readonly problem?: string;
  readonly fix: string;
  readonly suggestions?: readonly Suggestion[];
}

export function structureFinding(walk: WalkResult, input: StructureFindingInput): Finding {
  return {
    rule: input.rule,
    category: "structure",
    node: input.node,
    start: input.node.getStart(walk.sourceFile),
    end: input.node.getEnd(),
    source: input.source,
    problem: input.problem ?? "",
    fix: input.fix,
    chain: input.chain ?? input.unit?.chain ?? [],
    suggestions: input.suggestions ?? [],
  };
}

/** `context.step("charge")` as written, shortened for messages. */
export function operationLabel(call: ts.CallExpression, sourceFile: ts.SourceFile): string {
  const callee = call.expression.getText(sourceFile);
  const first = call.arguments[0];
  const name = first && isStringLiteralLike(first) ? first.getText(sourceFile) : "";
  return `${callee}(${name}${name && call.arguments.length > 1 ? ", ..." : !name && call.arguments.length > 0 ? "..." : ""})`;
}
