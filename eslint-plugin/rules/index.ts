import deterministicStepNames from "./deterministic-step-names.js";
import noCapturedMutationInStep from "./no-captured-mutation-in-step.js";
import noEnvOutsideStep from "./no-env-outside-step.js";
import noFloatingDurableOperation from "./no-floating-durable-operation.js";
import noInvocationContextRead from "./no-invocation-context-read.js";
import noIoOutsideStep from "./no-io-outside-step.js";
import noModuleState from "./no-module-state.js";
import noNativePromiseCombinator from "./no-native-promise-combinator.js";
import noNestedDurableOperation from "./no-nested-durable-operation.js";
import noNondeterminismOutsideStep from "./no-nondeterminism-outside-step.js";
import noOuterContextInChild from "./no-outer-context-in-child.js";
import noSwallowedSuspension from "./no-swallowed-suspension.js";
import noTimers from "./no-timers.js";
import qualifiedInvokeTarget from "./qualified-invoke-target.js";
import replayAwareLogging from "./replay-aware-logging.js";
import serializableStepResult from "./serializable-step-result.js";

export const rules = {
  "no-nondeterminism-outside-step": noNondeterminismOutsideStep,
  "no-io-outside-step": noIoOutsideStep,
  "no-env-outside-step": noEnvOutsideStep,
  "no-timers": noTimers,
  "no-invocation-context-read": noInvocationContextRead,
  "replay-aware-logging": replayAwareLogging,
  "qualified-invoke-target": qualifiedInvokeTarget,
  "no-floating-durable-operation": noFloatingDurableOperation,
  "no-native-promise-combinator": noNativePromiseCombinator,
  "no-nested-durable-operation": noNestedDurableOperation,
  "no-outer-context-in-child": noOuterContextInChild,
  "no-captured-mutation-in-step": noCapturedMutationInStep,
  "no-module-state": noModuleState,
  "deterministic-step-names": deterministicStepNames,
  "no-swallowed-suspension": noSwallowedSuspension,
  "serializable-step-result": serializableStepResult,
};

export type ReplayableRuleName = keyof typeof rules;
