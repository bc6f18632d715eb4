import { isRecord, type Resource } from "./template.js";

/** A property of a resource that makes a caller invoke the function it names. */
export interface InvokePlace {
  readonly holder: object;
  readonly key: string | number;
  readonly value: unknown;
  readonly what: string;
  /** Fn::Sub variables in scope (a state machine's DefinitionSubstitutions). */
  readonly variables?: Record<string, unknown>;
}

/** The places a template can name a function to be invoked, by resource type. */
export function invokePlacesOf(resource: Resource): InvokePlace[] {
  const p = resource.properties;
  const at = (holder: unknown, key: string, what: string): InvokePlace[] => (isRecord(holder) && holder[key] !== undefined ? [{ holder, key, value: holder[key], what }] : []);
  const each = (list: unknown, key: string, what: string) => (Array.isArray(list) ? list.flatMap((item) => at(item, key, what)) : []);
  switch (resource.type) {
    case "AWS::Lambda::EventSourceMapping":
      return at(p, "FunctionName", "the event source mapping");
    case "AWS::Lambda::Permission":
      return at(p, "FunctionName", "the permission");
    case "AWS::Lambda::Url":
      return p.Qualifier === undefined ? at(p, "TargetFunctionArn", "the function URL") : [];
    case "AWS::Events::Rule":
      return each(p.Targets, "Arn", "the EventBridge rule's target");
    case "AWS::Scheduler::Schedule":
      return at(p.Target, "Arn", "the schedule's target");
    case "AWS::Pipes::Pipe":
      return at(p, "Target", "the pipe's target");
    case "AWS::ApiGateway::Method":
      return at(p.Integration, "Uri", "the API Gateway integration");
    case "AWS::ApiGatewayV2::Integration":
      return at(p, "IntegrationUri", "the HTTP API integration");
    case "AWS::SNS::Subscription":
      return at(p, "Endpoint", "the SNS subscription");
    case "AWS::SNS::Topic":
      return each(p.Subscription, "Endpoint", "the SNS subscription");
    case "AWS::S3::Bucket":
      return isRecord(p.NotificationConfiguration) ? each(p.NotificationConfiguration.LambdaConfigurations, "Function", "the S3 notification") : [];
    case "AWS::StepFunctions::StateMachine":
    case "AWS::Serverless::StateMachine": {
      const variables = isRecord(p.DefinitionSubstitutions) ? p.DefinitionSubstitutions : {};
      const places = [...at(p, "DefinitionString", "the state machine's task"), ...leavesOf(p.Definition, "the state machine's task")];
      return places.map((place) => ({ ...place, variables }));
    }
    default:
      return [];
  }
}

/** Every string or intrinsic function inside a state machine definition written as an object. */
function leavesOf(value: unknown, what: string): InvokePlace[] {
  const places: InvokePlace[] = [];
  const visit = (holder: object, key: string | number, item: unknown, depth: number): void => {
    if (depth > 50) return;
    const intrinsic = isRecord(item) && Object.keys(item).length === 1 && /^(Ref|Fn::)/.test(Object.keys(item)[0]!);
    if (typeof item === "string" || intrinsic) places.push({ holder, key, value: item, what });
    else if (Array.isArray(item)) item.forEach((entry, index) => visit(item, index, entry, depth + 1));
    else if (isRecord(item)) for (const [name, entry] of Object.entries(item)) visit(item, name, entry, depth + 1);
  };
  if (isRecord(value)) for (const [name, entry] of Object.entries(value)) visit(value, name, entry, 0);
  return places;
}
