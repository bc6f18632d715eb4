import { existsSync } from "node:fs";
// Reads AWS's language-neutral conformance requirement files: YAML, one directory per suite,
// one file per requirement id, each file one or more YAML documents separated by `---`.
//
// Read as AWS's runner reads them (PyYAML): the YAML 1.2 core schema plus PyYAML's
// yes/no/on/off booleans. Keys this reader does not know are kept in `extra` (and named in
// `unknownKeys`) so a newer file still loads; malformed content is an error that names the
// file, the document and the key.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, type Document } from "yaml";

/**
 * Where the requirements live: $REPLAYABLE_CONFORMANCE_DIR, else ../shared/conformance beside
 * the repository, else the workplace's /work/shared/conformance (a clone made elsewhere, as CI's).
 */
export const DEFAULT_REQUIREMENTS_DIR =
  process.env.REPLAYABLE_CONFORMANCE_DIR ??
  [resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "shared", "conformance"), "/work/shared/conformance"].find((dir) => existsSync(dir)) ??
  resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "shared", "conformance");

export type ExecutionStatus = "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "CANCELLED" | "STOPPED";
const EXECUTION_STATUSES: readonly string[] = ["SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "STOPPED"];

/** One expected history event, as written: values may be '*', `${VAR}`, `${/regex/}`. */
export interface ExpectedEvent {
  EventType: string;
  EventId: number;
  [key: string]: unknown;
}

export interface ExpectedResult {
  /** Absent: the status is not checked. */
  ExecutionStatus?: ExecutionStatus | undefined;
  /** Only meaningful when `hasResult`: `Result:` with no value means an expected null. */
  Result?: unknown;
  hasResult: boolean;
}

export type CallbackOperation = "success" | "failure" | "heartbeat";

/** What the outside world does when a callback appears (AWS's runner: CallbackActions). */
export interface CallbackAction {
  /** Matched against the CallbackStarted event's Name; "*" matches any callback. May hold `${VAR}`. */
  CallbackName: string;
  Operation: CallbackOperation;
  /** success: any JSON value, sent as its JSON text; failure: ErrorType/ErrorMessage/ErrorData/StackTrace. */
  Payload?: unknown;
  /** Seconds to wait before acting. */
  Delay: number;
}

export interface Requirement {
  /** The file's stem ("1-11"), or `<stem>.<n>` for the n-th document of a file that holds several. */
  id: string;
  /** The requirement's directory under the requirements root ("step", "wait_for_callback"). */
  suite: string;
  file: string;
  /** 1-based position of the document in its file. */
  document: number;
  description: string;
  /** The prose the handler is written from. */
  handler: string;
  /** The prose describing each invocation. */
  invocations: string;
  optional: boolean;
  /** AWS's runner invokes asynchronously and polls; with no ExpectedResult it stops once the history matches. */
  asyncInvoke: boolean;
  /** As written (may hold `${VAR}`); `Input:` with no value is null. */
  input: unknown;
  /** Variable name -> generator (`${GEN_STR:8}`) or literal value. */
  variables: Record<string, unknown>;
  expectedResult: ExpectedResult | undefined;
  expectedHistory: ExpectedEvent[];
  callbackActions: CallbackAction[];
  /** CloudWatch log expectations; not checked locally. */
  expectedLogs: unknown[] | undefined;
  /** Every key of the document, as parsed. */
  raw: Record<string, unknown>;
  /** Keys this reader does not interpret (DefaultRetryParameters, AsyncConfig, future keys). */
  extra: Record<string, unknown>;
  unknownKeys: string[];
}

export class RequirementFormatError extends Error {
  constructor(
    readonly file: string,
    readonly document: number,
    detail: string,
  ) {
    super(`${file}, document ${document}: ${detail}`);
    this.name = "RequirementFormatError";
  }
}

const KNOWN_KEYS = new Set([
  "description",
  "handler",
  "invocations",
  "Input",
  "Variables",
  "ExpectedResult",
  "ExpectedExecutionHistory",
  "CallbackActions",
  "AsyncInvoke",
  "async",
  "optional",
  "ExpectedLogs",
]);

// PyYAML (YAML 1.1) reads these as booleans; the `yaml` package's 1.1 schema would also turn
// `n`/`y` into booleans, which PyYAML does not (requirement files use `n` as a key).
const pyYamlBool = {
  identify: (value: unknown) => typeof value === "boolean",
  default: true,
  tag: "tag:yaml.org,2002:bool",
  test: /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/,
  resolve: (text: string) => /^(?:yes|on)$/i.test(text),
};

/** Parses requirement text. `file` names the source in errors; `suite` defaults to none. */
export function parseRequirements(text: string, file: string, suite = ""): Requirement[] {
  const documents = parseAllDocuments(text, { customTags: (tags) => [...tags, pyYamlBool], uniqueKeys: true });
  // parseAllDocuments returns an EmptyStream (an array) for empty input, or Document[].
  const list = Array.isArray(documents) ? (documents as Document[]) : [];
  const parsed: Array<{ doc: Record<string, unknown>; index: number }> = [];
  list.forEach((document, i) => {
    const index = i + 1;
    const error = document.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      throw new RequirementFormatError(file, index, `invalid YAML${line ? ` at line ${line}` : ""}: ${error.message.split("\n")[0]}`);
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return; // an empty document (a trailing `---`)
    if (!isRecord(value)) throw new RequirementFormatError(file, index, `a requirement must be a mapping of keys, got ${describe(value)}`);
    parsed.push({ doc: value, index });
  });
  const stem = basename(file, extname(file));
  return parsed.map(({ doc, index }) => toRequirement(doc, { file, document: index, suite, id: parsed.length === 1 ? stem : `${stem}.${index}` }));
}

/** Reads one requirement file; the suite is its directory name unless given. */
export function loadRequirementFile(file: string, suite?: string): Requirement[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new RequirementFormatError(file, 0, `cannot be read: ${(error as Error).message}`);
  }
  return parseRequirements(text, file, suite ?? basename(join(file, "..")));
}

/**
 * Reads every `*.yaml`/`*.yml` file under `root` (recursively). A requirement's suite is the
 * first directory below the root. Sorted by suite, then numerically by id ("1-2" before "1-11").
 */
export function loadRequirements(root: string, options: { suites?: string[] } = {}): Requirement[] {
  const requirements: Requirement[] = [];
  const visit = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (/\.ya?ml$/i.test(name)) {
        const suite = relative(root, path).split(sep)[0] ?? "";
        if (suite === name) continue; // files directly under the root belong to no suite
        if (options.suites && !options.suites.includes(suite)) continue;
        requirements.push(...loadRequirementFile(path, suite));
      }
    }
  };
  visit(root);
  const ids = new Map<string, string>();
  for (const r of requirements) {
    const seen = ids.get(r.id);
    if (seen) throw new RequirementFormatError(r.file, r.document, `requirement id ${r.id} is also used by ${seen}`);
    ids.set(r.id, r.file);
  }
  return requirements.sort((a, b) => compareSuites(a.suite, b.suite) || compareIds(a.id, b.id));
}

/** Numeric-aware id order: "1-2" < "1-11" < "2-1". */
export function compareIds(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

const compareSuites = (a: string, b: string) => a.localeCompare(b);

function toRequirement(doc: Record<string, unknown>, where: { file: string; document: number; suite: string; id: string }): Requirement {
  const fail = (detail: string): never => {
    throw new RequirementFormatError(where.file, where.document, detail);
  };
  const text = (key: string, required: boolean): string => {
    const value = doc[key];
    if (value === undefined || value === null) return required ? fail(`missing required key "${key}"`) : "";
    if (typeof value !== "string") return fail(`"${key}" must be text, got ${describe(value)}`);
    return value;
  };
  const flag = (key: string): boolean => {
    const value = doc[key];
    if (value === undefined || value === null) return false;
    if (typeof value !== "boolean") return fail(`"${key}" must be true or false, got ${describe(value)}`);
    return value;
  };

  const handler = text("handler", true);
  const hasHistory = doc.ExpectedExecutionHistory !== undefined && doc.ExpectedExecutionHistory !== null;
  if (!hasHistory && doc.ExpectedResult === undefined) fail(`needs "ExpectedExecutionHistory" or "ExpectedResult"`);

  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) if (!KNOWN_KEYS.has(key)) extra[key] = value;

  return {
    ...where,
    description: text("description", false),
    handler,
    invocations: text("invocations", false),
    optional: flag("optional"),
    asyncInvoke: flag("AsyncInvoke") || flag("async"),
    input: doc.Input ?? null,
    variables: readVariables(doc.Variables, fail),
    expectedResult: readExpectedResult(doc.ExpectedResult, fail),
    expectedHistory: hasHistory ? readHistory(doc.ExpectedExecutionHistory, fail) : [],
    callbackActions: readCallbackActions(doc.CallbackActions, fail),
    expectedLogs: readExpectedLogs(doc.ExpectedLogs, fail),
    raw: doc,
    extra,
    unknownKeys: Object.keys(extra),
  };
}

type Fail = (detail: string) => never;

function readVariables(value: unknown, fail: Fail): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) return fail(`"Variables" must be a mapping of names to values, got ${describe(value)}`);
  for (const name of Object.keys(value)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(`"Variables": "${name}" is not a valid variable name`);
  }
  return { ...value };
}

function readExpectedResult(value: unknown, fail: Fail): ExpectedResult | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) return fail(`"ExpectedResult" must be a mapping, got ${describe(value)}`);
  const status = value.ExecutionStatus;
  if (status !== undefined && (typeof status !== "string" || !EXECUTION_STATUSES.includes(status))) {
    fail(`"ExpectedResult.ExecutionStatus" must be one of ${EXECUTION_STATUSES.join(", ")}, got ${describe(status)}`);
  }
  const hasResult = "Result" in value;
  return { ExecutionStatus: status as ExecutionStatus | undefined, Result: hasResult ? (value.Result ?? null) : undefined, hasResult };
}

function readHistory(value: unknown, fail: Fail): ExpectedEvent[] {
  if (!Array.isArray(value)) return fail(`"ExpectedExecutionHistory" must be a list of events, got ${describe(value)}`);
  const ids = new Set<number>();
  return value.map((event: unknown, i) => {
    const at = `"ExpectedExecutionHistory"[${i}]`;
    if (!isRecord(event)) return fail(`${at} must be a mapping, got ${describe(event)}`);
    if (typeof event.EventType !== "string" || event.EventType === "") fail(`${at} needs an "EventType" (text)`);
    const id = event.EventId;
    if (typeof id !== "number" || !Number.isInteger(id) || id < 1) fail(`${at} (${String(event.EventType)}) needs an "EventId" (a positive integer), got ${describe(id)}`);
    if (ids.has(id as number)) fail(`${at} (${String(event.EventType)}) repeats EventId ${String(id)}`);
    ids.add(id as number);
    return event as ExpectedEvent;
  });
}

const CALLBACK_OPERATIONS: readonly string[] = ["success", "failure", "heartbeat"];

function readCallbackActions(value: unknown, fail: Fail): CallbackAction[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return fail(`"CallbackActions" must be a list, got ${describe(value)}`);
  return value.map((action: unknown, i) => {
    const at = `"CallbackActions"[${i}]`;
    if (!isRecord(action)) return fail(`${at} must be a mapping, got ${describe(action)}`);
    if (typeof action.CallbackName !== "string" || action.CallbackName === "") fail(`${at} needs a "CallbackName" (text, "*" for any callback)`);
    const operation = typeof action.Operation === "string" ? action.Operation.toLowerCase() : undefined;
    if (!operation || !CALLBACK_OPERATIONS.includes(operation)) fail(`${at}: "Operation" must be one of success, failure, heartbeat, got ${describe(action.Operation)}`);
    const delay = action.Delay ?? 0;
    if (typeof delay !== "number" || !(delay >= 0)) fail(`${at}: "Delay" must be a number of seconds, got ${describe(action.Delay)}`);
    if (operation === "failure" && action.Payload !== undefined && action.Payload !== null && !isRecord(action.Payload)) {
      fail(`${at}: a failure "Payload" must be a mapping of ErrorType/ErrorMessage/ErrorData/StackTrace, got ${describe(action.Payload)}`);
    }
    return { CallbackName: action.CallbackName as string, Operation: operation as CallbackOperation, Payload: action.Payload ?? undefined, Delay: delay as number };
  });
}

function readExpectedLogs(value: unknown, fail: Fail): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return fail(`"ExpectedLogs" must be a list, got ${describe(value)}`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describe(value: unknown): string {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}
