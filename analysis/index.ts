export { analyzeSourceFile, summarizedFunctionCount, type AnalysisOptions, type FileAnalysis, type OrchestrationFunction } from "./analyze-file.js";
export { describeChain, type CallLink, type Finding, type RuleName, type Suggestion, type SuggestionKind, type TextEdit } from "./finding.js";
export { findHandlers, type DurableHandler } from "./handlers.js";
export { HAZARD_SOURCES, IO_MODULES, type HazardCategory, type HazardSource } from "./hazard-catalog.js";
export { DURABLE_OPERATIONS, DURABLE_PACKAGES, type DurableRuntime } from "./durable-api.js";
export { qualifierOf } from "./invoke-target.js";
export {
  computeOperationIds,
  localKeyOf,
  nameArgumentOf,
  type AddedOperation,
  type NameArgument,
  type OperationId,
} from "./step-ids.js";
export { ScopeResolver } from "./scope.js";
export { scriptKindOf } from "./script-kind.js";
export type { DeterministicHelper } from "./hazard-catalog.js";
