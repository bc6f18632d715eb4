import path from "node:path";
import type ts from "typescript";
import type { DurableRuntime } from "./durable-api.js";
import type { DeterministicHelper, HazardCategory, SourceRuleName } from "./hazard-catalog.js";

export type StructureRuleName =
  | "no-floating-durable-operation"
  | "no-native-promise-combinator"
  | "no-nested-durable-operation"
  | "no-outer-context-in-child"
  | "no-captured-mutation-in-step"
  | "no-module-state"
  | "deterministic-step-names"
  | "no-swallowed-suspension"
  | "serializable-step-result";

export type RuleName = SourceRuleName | StructureRuleName | "qualified-invoke-target";

/** A text replacement by source offsets; the same edits serve ESLint fixes and the transformer. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export type SuggestionKind =
  | "wrapInStep"
  | "useContextHelper"
  | "useContextWait"
  | "useContextLogger"
  | "awaitOperation"
  | "useDurableCombinator"
  | "useChildContext";

export interface Suggestion {
  readonly kind: SuggestionKind;
  /** Fills the suggestion's message, e.g. { name: "now" } or { replacement: "context.random()" }. */
  readonly data: Readonly<Record<string, string>>;
  readonly edits: readonly TextEdit[];
}

/** A line of a file; the file as the program names it (absolute with a program), shortened only for messages. */
export interface SourceLine {
  readonly file: string;
  readonly line: number;
}

/** How orchestration code reached a helper: each link is one call (at `file`:`line`), innermost first. */
export interface CallLink extends SourceLine {
  /** The helper's name, e.g. "pickWinner". */
  readonly callee: string;
  /** Who called it: "handler processOrder" or "quote()". */
  readonly caller: string;
}

export interface Finding {
  readonly rule: RuleName;
  readonly category: HazardCategory | "invoke-target" | "structure";
  readonly node: ts.Node;
  readonly start: number;
  readonly end: number;
  /** The code as written, with what it resolves to when that differs: "r() (Math.random)". */
  readonly source: string;
  /** Rule-specific part of the problem, e.g. "has no version or alias". Empty for most rules. */
  readonly problem: string;
  readonly fix: string;
  readonly chain: readonly CallLink[];
  /**
   * Where the site really is, when it is in another file of the program and the finding is
   * reported at the call that leads there (lib/pricing.ts:8).
   */
  readonly origin?: SourceLine | undefined;
  /** For a site in a helper reached from other files: how many call paths besides `chain` lead to it. */
  readonly otherCalls?: number | undefined;
  readonly suggestions: readonly Suggestion[];
  /** The durable context visible at the site when the site is a rewritable value (for the transformer). */
  readonly contextName?: string | undefined;
  /** The runtime's deterministic helper that can replace the source, if any (context.random(), uuid(), now()). */
  readonly helper?: DeterministicHelper | undefined;
  /** The SDK of the handler the site was reached from. */
  readonly runtime?: DurableRuntime | undefined;
  /**
   * A read of a named variable of the function's configuration: the same on every replay of a
   * published version, so reported only for functions that run on $LATEST (no-env-outside-step's option).
   */
  readonly configurationRead?: boolean;
}

/**
 * " in pickWinner(), called from handler processOrder at src/order.ts:14" (empty for handler code);
 * with an origin in another file: " in src/lib/pricing.ts:8, in quote(), called from ...";
 * with other calls: "... at src/order.ts:14 (and 3 other calls)". Files are named relative to
 * `cwd` (ESLint's working directory, as ESLint names the linted files), so two files with the
 * same name in different folders stay apart; without `cwd`, by their base name.
 */
export function describeChain(chain: readonly CallLink[], origin?: SourceLine, otherCalls = 0, cwd?: string): string {
  if (chain.length === 0) return "";
  const at = (place: SourceLine) => `${fileNameIn(place.file, cwd)}:${place.line}`;
  const [first, ...rest] = chain;
  let text = `${origin ? ` in ${at(origin)},` : ""} in ${first!.callee}(), called from ${first!.caller} at ${at(first!)}`;
  for (const link of rest) text += `, called from ${link.caller} at ${at(link)}`;
  if (otherCalls > 0) text += ` (and ${otherCalls} other call${otherCalls === 1 ? "" : "s"})`;
  return text;
}

/** "src/order.ts" under `cwd`; the absolute path outside it; "order.ts" without `cwd`. */
function fileNameIn(file: string, cwd: string | undefined): string {
  if (cwd === undefined) return path.basename(file);
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  return relative.startsWith("..") || path.isAbsolute(relative) ? absolute : relative.split(path.sep).join("/");
}
