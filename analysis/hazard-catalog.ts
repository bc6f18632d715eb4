import type { ReferencePath } from "./reference-path.js";

/** The rules whose findings come from the catalog of non-deterministic sources. */
export type SourceRuleName =
  | "no-nondeterminism-outside-step"
  | "no-io-outside-step"
  | "no-env-outside-step"
  | "no-timers"
  | "no-invocation-context-read"
  | "replay-aware-logging";

/** How a source is used at a site: called, constructed, or read. */
export type SiteKind = "call" | "new" | "read";

/**
 * Categories the transformer configures separately (randomness is seeded by default,
 * the clock goes into a step, the rest is reported).
 */
export type HazardCategory = "random" | "clock" | "gc" | "io" | "env" | "timer" | "invocation" | "console";

/** A context helper of replayable's runtime that replaces a source without adding an operation. */
export type DeterministicHelper = "random" | "uuid" | "now";

export interface HazardSource {
  readonly rule: SourceRuleName;
  readonly category: HazardCategory;
  readonly kind: SiteKind;
  readonly matches: (path: ReferencePath) => boolean;
  /** `new Date()` is the clock, `new Date(x)` is not. */
  readonly onlyWithoutArguments?: boolean;
  /** How to fix it, in the message. */
  readonly fix: string;
  /** The value is plain data that survives a step's JSON checkpoint, so wrapping in a step is safe. */
  readonly stepSafe: boolean;
  readonly helper?: DeterministicHelper;
}

const exactly = (...paths: string[]) => {
  const set = new Set(paths);
  return (path: ReferencePath) => set.has(path);
};
const withinModules = (...modules: string[]) => {
  const prefixes = modules.map((module) => `mod:${module}#`);
  return (path: ReferencePath) => prefixes.some((prefix) => path.startsWith(prefix));
};

const RANDOM_FIX = "wrap it in context.step(...), or use context.random() on replayable's runtime / deterministic(context).random() imported from \"replayable\" on an AWS SDK context";
const UUID_FIX = "wrap it in context.step(...), or use context.uuid() on replayable's runtime / deterministic(context).uuid() imported from \"replayable\" on an AWS SDK context";
const CLOCK_FIX = "read the time inside context.step(...) so the value is recorded, or use context.now() (replayable)";
const IO_FIX = "move it into context.step(...) and return only plain data from the step, so the result is recorded and the call is not repeated on replay";

const random = (kind: SiteKind, matches: (path: ReferencePath) => boolean, stepSafe: boolean, helper?: DeterministicHelper): HazardSource => ({
  rule: "no-nondeterminism-outside-step",
  category: "random",
  kind,
  matches,
  fix: helper === "uuid" ? UUID_FIX : RANDOM_FIX,
  stepSafe,
  ...(helper ? { helper } : {}),
});

const io = (kind: SiteKind, matches: (path: ReferencePath) => boolean): HazardSource => ({
  rule: "no-io-outside-step",
  category: "io",
  kind,
  matches,
  fix: IO_FIX,
  stepSafe: false,
});

const invocation = (kind: SiteKind, matches: (path: ReferencePath) => boolean): HazardSource => ({
  rule: "no-invocation-context-read",
  category: "invocation",
  kind,
  matches,
  fix: "read it inside context.step(...) if the value must be kept, or leave it out of orchestration code",
  stepSafe: true,
});

/** Modules whose every call does I/O (network, disk, processes, databases). */
export const IO_MODULES = [
  "http", "https", "http2", "net", "tls", "dgram", "dns", "dns/promises", "fs", "fs/promises",
  "child_process", "worker_threads", "cluster", "axios", "got", "undici", "node-fetch", "pg",
  "mysql2", "mysql2/promise", "redis", "ioredis", "mongodb", "@prisma/client",
];

/** Calls into I/O modules that only build values or test them, and touch nothing outside. */
const PURE_IO_MODULE_CALLS = new Set([
  "mod:axios#isAxiosError", "mod:axios#isCancel", "mod:axios#create", "mod:axios#mergeConfig",
  "mod:net#isIP", "mod:net#isIPv4", "mod:net#isIPv6", "mod:redis#createClient", "mod:mongodb#ObjectId.isValid",
]);

const IN_IO_MODULE = withinModules(...IO_MODULES);

const AWS_SDK_SEND = /^mod:@aws-sdk\/[^#]+#.*\.send$/;
/** The console methods that write or shape output (not `console.toString()` and the like). */
const CONSOLE_METHOD = /^console\.(?:assert|clear|count|countReset|debug|dir|dirxml|error|group|groupCollapsed|groupEnd|info|log|table|time|timeEnd|timeLog|trace|warn)$/;

export const HAZARD_SOURCES: readonly HazardSource[] = [
  random("call", exactly("Math.random"), true, "random"),
  random("call", exactly("crypto.randomUUID"), true, "uuid"),
  random("call", exactly("crypto.randomInt"), true),
  random("call", exactly(
    "crypto.getRandomValues", "crypto.randomBytes", "crypto.randomFill", "crypto.randomFillSync",
    "crypto.pseudoRandomBytes", "crypto.generateKey", "crypto.generateKeySync", "crypto.generateKeyPair",
    "crypto.generateKeyPairSync", "crypto.generatePrime", "crypto.generatePrimeSync", "crypto.subtle.generateKey",
  ), false),
  random("call", exactly("mod:uuid#v4"), true, "uuid"),
  // Time-ordered UUIDs: context.uuid() would lose their ordering, so only the step rewrite applies.
  random("call", exactly("mod:uuid#v1", "mod:uuid#v6", "mod:uuid#v7"), true),
  random("call", exactly(
    "mod:nanoid#nanoid", "mod:nanoid/non-secure#nanoid", "mod:nanoid#customAlphabet()", "mod:nanoid#customRandom()",
    "mod:nanoid/non-secure#customAlphabet()", "mod:ulid#ulid", "mod:ulid#monotonicFactory()",
    "mod:@paralleldrive/cuid2#createId", "mod:@paralleldrive/cuid2#init()", "mod:cuid#default",
  ), true),
  {
    rule: "no-nondeterminism-outside-step", category: "clock", kind: "call",
    matches: exactly("Date.now"), fix: CLOCK_FIX, stepSafe: true, helper: "now",
  },
  {
    rule: "no-nondeterminism-outside-step", category: "clock", kind: "new", onlyWithoutArguments: true,
    matches: exactly("Date"), fix: CLOCK_FIX, stepSafe: false, helper: "now",
  },
  {
    rule: "no-nondeterminism-outside-step", category: "clock", kind: "call",
    matches: exactly("Date"), fix: CLOCK_FIX, stepSafe: true,
  },
  {
    rule: "no-nondeterminism-outside-step", category: "clock", kind: "call",
    matches: exactly("performance.now", "process.hrtime", "process.hrtime.bigint"), fix: CLOCK_FIX, stepSafe: false,
  },
  {
    rule: "no-nondeterminism-outside-step", category: "gc", kind: "new",
    matches: exactly("WeakRef", "FinalizationRegistry"),
    fix: "garbage collection timing differs between runs, so keep WeakRef and FinalizationRegistry out of orchestration code",
    stepSafe: false,
  },

  io("call", exactly("fetch")),
  io("new", exactly("XMLHttpRequest", "WebSocket", "EventSource", "mod:worker_threads#Worker")),
  io("call", (path) => IN_IO_MODULE(path) && !PURE_IO_MODULE_CALLS.has(path)),
  io("call", (path) => AWS_SDK_SEND.test(path)),

  {
    rule: "no-env-outside-step", category: "env", kind: "read",
    matches: exactly("process.env", "process.argv", "process.execArgv", "Deno.env"),
    fix: "read it inside context.step(...), or pass the value in the execution's input",
    stepSafe: true,
  },

  {
    rule: "no-timers", category: "timer", kind: "call",
    matches: exactly(
      "setTimeout", "setInterval", "setImmediate", "mod:timers/promises#setTimeout",
      "mod:timers/promises#setInterval", "mod:timers/promises#setImmediate", "mod:timers/promises#scheduler.wait",
    ),
    fix: "use await context.wait({ seconds }) instead, which is recorded and survives suspension",
    stepSafe: false,
  },

  invocation("read", exactly(
    "<ctx>.lambdaContext.awsRequestId", "<ctx>.lambdaContext.logStreamName", "process.pid", "process.ppid",
  )),
  invocation("call", exactly(
    "<ctx>.lambdaContext.getRemainingTimeInMillis", "process.uptime", "process.memoryUsage", "process.memoryUsage.rss",
    "process.cpuUsage", "process.resourceUsage", "mod:os#hostname", "mod:os#uptime", "mod:os#freemem",
    "mod:os#loadavg", "mod:os#networkInterfaces",
  )),

  {
    rule: "replay-aware-logging", category: "console", kind: "call",
    matches: (path) => CONSOLE_METHOD.test(path),
    fix: "use context.logger, which is silent while replaying",
    stepSafe: false,
  },
];

/** findSource's answers: the same few paths are asked about in every file. */
const FOUND = new Map<string, HazardSource | null>();
const FOUND_LIMIT = 20_000;

export function findSource(kind: SiteKind, path: ReferencePath, argumentCount: number): HazardSource | undefined {
  const key = `${kind}${argumentCount > 0 ? "+" : "0"}${path}`;
  const cached = FOUND.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const source = HAZARD_SOURCES.find(
    (candidate) => candidate.kind === kind && candidate.matches(path) && !(candidate.onlyWithoutArguments && argumentCount > 0),
  );
  if (FOUND.size >= FOUND_LIMIT) FOUND.clear();
  FOUND.set(key, source ?? null);
  return source;
}
