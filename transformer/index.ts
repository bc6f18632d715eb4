export { transform, planForText, parseForTransform, type TransformResult } from "./transform.js";
export { planTransform, formatDiagnostic, type EditPlan, type PlannedEdit, type Replacement, type ReplacementWrap, type OperationIdEntry, type TransformDiagnostic, type DiagnosticCategory } from "./plan.js";
export { resolveOptions, type TransformOptions, type RewriteMode, type DiagnosticSeverity } from "./options.js";
export type { SourceMapV3 } from "./apply-text.js";
export { default, REPLAYABLE_DIAGNOSTIC_CODE, type TransformerExtras } from "./tsc-plugin.js";
export { applyPlanToAst } from "./apply-ast.js";
