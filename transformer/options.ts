/** How a category of non-deterministic calls in orchestration code is handled. */
export type RewriteMode = "seeded" | "step" | "report";

export type DiagnosticSeverity = "error" | "warning";

export interface TransformOptions {
  /** Math.random, crypto.randomUUID, uuid v4, nanoid...: default "seeded" (context.random()/uuid(), deterministic(ctx)). */
  readonly random?: RewriteMode;
  /** Date.now, new Date(), Date(), performance.now: default "step" (recorded in a step; context.now() where await is not allowed). */
  readonly clock?: RewriteMode;
  /** Give every unnamed durable operation its stable ID. Default true. */
  readonly names?: boolean;
  /** Severity of the diagnostics for sites that are reported or cannot be rewritten. Default "error". */
  readonly severity?: DiagnosticSeverity;
  /** Emit a source map. Default true. */
  readonly sourceMap?: boolean;
}

export interface ResolvedOptions {
  readonly random: RewriteMode;
  readonly clock: RewriteMode;
  readonly names: boolean;
  readonly severity: DiagnosticSeverity;
  readonly sourceMap: boolean;
}

const MODES: readonly RewriteMode[] = ["seeded", "step", "report"];

/** Validates options as given in a tsconfig plugin entry, a bundler config or the CLI. */
export function resolveOptions(options: TransformOptions = {}): ResolvedOptions {
  for (const key of ["random", "clock"] as const) {
    const value = options[key];
    if (value !== undefined && !MODES.includes(value)) {
      throw new TypeError(`replayable/transformer: option "${key}" must be one of ${MODES.map((mode) => `"${mode}"`).join(", ")}, got ${JSON.stringify(value)}`);
    }
  }
  if (options.severity !== undefined && options.severity !== "error" && options.severity !== "warning") {
    throw new TypeError(`replayable/transformer: option "severity" must be "error" or "warning", got ${JSON.stringify(options.severity)}`);
  }
  return {
    random: options.random ?? "seeded",
    clock: options.clock ?? "step",
    names: options.names ?? true,
    severity: options.severity ?? "error",
    sourceMap: options.sourceMap ?? true,
  };
}
