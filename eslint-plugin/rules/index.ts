import noEnvOutsideStep from "./no-env-outside-step.js";
import noInvocationContextRead from "./no-invocation-context-read.js";
import noIoOutsideStep from "./no-io-outside-step.js";
import noNondeterminismOutsideStep from "./no-nondeterminism-outside-step.js";
import noTimers from "./no-timers.js";
import qualifiedInvokeTarget from "./qualified-invoke-target.js";
import replayAwareLogging from "./replay-aware-logging.js";

export const rules = {
  "no-nondeterminism-outside-step": noNondeterminismOutsideStep,
  "no-io-outside-step": noIoOutsideStep,
  "no-env-outside-step": noEnvOutsideStep,
  "no-timers": noTimers,
  "no-invocation-context-read": noInvocationContextRead,
  "replay-aware-logging": replayAwareLogging,
  "qualified-invoke-target": qualifiedInvokeTarget,
};

export type ReplayableRuleName = keyof typeof rules;
