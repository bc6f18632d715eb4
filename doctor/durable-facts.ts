/**
 * What Lambda requires of a durable function, with where each fact comes from.
 *
 * DurableConfig's properties: `@aws-sdk/client-lambda` 3.1164.0 (`DurableConfig` in
 * dist-types/models/models_0.d.ts: KMSKeyArn, RetentionPeriodInDays, ExecutionTimeout) and the
 * CloudFormation resource specification in `@aws-cdk/aws-service-spec` 0.1.216 (the same three;
 * ExecutionTimeout required, RetentionPeriodInDays default 14). Neither model has ranges: those
 * come from the CloudFormation Template Reference (AWS::Lambda::Function DurableConfig:
 * ExecutionTimeout minimum 1, maximum 31622400; RetentionPeriodInDays minimum 1, maximum 90),
 * which aws-cdk-lib 2.278.0 enforces too ("executionTimeout must be between 1 and 31622400
 * seconds"). `AllowInvokeLatest` is in neither model: the Lambda Developer Guide ("Configure
 * Lambda durable functions") lists it as the setting that allows invoking $LATEST, so doctor
 * accepts it and honours it.
 */
export const DURABLE_CONFIG_PROPERTIES = {
  ExecutionTimeout: { required: true, minimum: 1, maximum: 31_622_400, unit: "seconds" },
  RetentionPeriodInDays: { required: false, minimum: 1, maximum: 90, unit: "days" },
  KMSKeyArn: { required: false },
  AllowInvokeLatest: { required: false },
} as const;

/**
 * The actions a durable function's execution role needs (the operation names of
 * `@aws-sdk/client-lambda` 3.1164.0: CheckpointDurableExecutionCommand,
 * GetDurableExecutionStateCommand), and every durable operation of the same model, which are
 * real actions and so never a misspelling.
 */
export const REQUIRED_ACTIONS = ["lambda:CheckpointDurableExecution", "lambda:GetDurableExecutionState"] as const;
export const DURABLE_API_ACTIONS = new Set(
  [
    "CheckpointDurableExecution",
    "GetDurableExecution",
    "GetDurableExecutionHistory",
    "GetDurableExecutionState",
    "ListDurableExecutionsByFunction",
    "SendDurableExecutionCallbackFailure",
    "SendDurableExecutionCallbackHeartbeat",
    "SendDurableExecutionCallbackSuccess",
    "StopDurableExecution",
  ].map((name) => `lambda:${name}`.toLowerCase()),
);

/**
 * AWS managed policies that grant both required actions on every resource. The first is the
 * one Lambda documents for durable functions (SAM and CDK attach it when DurableConfig is set);
 * the others grant lambda:* or *. Any other AWS managed policy grants neither.
 */
export const DURABLE_MANAGED_POLICIES = new Set(["AWSLambdaBasicDurableExecutionRolePolicy", "AWSLambda_FullAccess", "AdministratorAccess", "PowerUserAccess"]);
