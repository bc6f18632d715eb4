import type { StructureCheck } from "../walk-result.js";
import { capturedMutationInStep } from "./captured-mutation-in-step.js";
import { deterministicStepNames } from "./deterministic-step-names.js";
import { floatingOperations } from "./floating-operation.js";
import { moduleState } from "./module-state.js";
import { nativePromiseCombinators } from "./native-promise-combinator.js";
import { nestedOperations } from "./nested-operation.js";
import { outerContextInChild } from "./outer-context-in-child.js";
import { serializableStepResults } from "./serializable-step-result.js";
import { swallowedSuspension } from "./swallowed-suspension.js";

/** The structural replay hazards, each a pure check over one walk of the file. */
export const STRUCTURE_CHECKS: readonly StructureCheck[] = [
  floatingOperations,
  nativePromiseCombinators,
  nestedOperations,
  outerContextInChild,
  capturedMutationInStep,
  moduleState,
  deterministicStepNames,
  swallowedSuspension,
  serializableStepResults,
];
