// Generates the lint benchmark's corpus: durable handler files as a real project has
// them, with the ordinary code that lives next to a handler (types, validation, a
// repository class, an HTTP health check, formatting helpers) and the durable shapes
// the analysis must walk (steps, waits, child contexts, map, parallel, callbacks,
// conditions, invokes, helpers called from orchestration code, helpers found by their
// DurableContext parameter). Both SDK import sources, named, renamed and namespace
// imports. About one file in seven carries 1-3 real mistakes; the rest are clean.
//
// Deterministic: the same seed gives the same corpus, so runs compare like with like.
// Every file records how many replayable findings its mistakes must produce.

/** mulberry32: a small seeded PRNG. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DOMAINS = [
  { entity: "order", plural: "orders", service: "inventory", table: "Orders", amount: "totalCents" },
  { entity: "invoice", plural: "invoices", service: "billing", table: "Invoices", amount: "amountDueCents" },
  { entity: "shipment", plural: "shipments", service: "carrier", table: "Shipments", amount: "declaredValueCents" },
  { entity: "booking", plural: "bookings", service: "reservations", table: "Bookings", amount: "priceCents" },
  { entity: "claim", plural: "claims", service: "insurance", table: "Claims", amount: "claimedCents" },
  { entity: "payout", plural: "payouts", service: "ledger", table: "Payouts", amount: "netCents" },
  { entity: "subscription", plural: "subscriptions", service: "plans", table: "Subscriptions", amount: "monthlyCents" },
  { entity: "ticket", plural: "tickets", service: "support", table: "Tickets", amount: "creditCents" },
  { entity: "document", plural: "documents", service: "archive", table: "Documents", amount: "feeCents" },
  { entity: "loan", plural: "loans", service: "underwriting", table: "Loans", amount: "principalCents" },
  { entity: "refund", plural: "refunds", service: "payments", table: "Refunds", amount: "refundCents" },
  { entity: "report", plural: "reports", service: "analytics", table: "Reports", amount: "costCents" },
];

const IMPORT_STYLES = ["aws-named", "replayable-named", "replayable-renamed", "aws-namespace", "aws-renamed", "replayable-typed-helper"];
const CONTEXT_NAMES = ["context", "ctx", "durableContext", "context"];

const cap = (s) => s[0].toUpperCase() + s.slice(1);

export function generateCorpus({ files = 1000, seed = 20260 } = {}) {
  const random = prng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chance = (p) => random() < p;
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

  const corpus = [];
  for (let index = 0; index < files; index++) {
    const domain = pick(DOMAINS);
    const style = IMPORT_STYLES[index % IMPORT_STYLES.length];
    const dirty = chance(0.15);
    const file = generateFile({ index, domain, style, dirty, pick, chance, int });
    corpus.push(file);
  }
  return corpus;
}

function generateFile({ index, domain, style, dirty, pick, chance, int }) {
  const { entity, plural, service, table, amount } = domain;
  const Entity = cap(entity);
  const ctx = pick(CONTEXT_NAMES);
  const name = `${["process", "handle", "run", "settle", "sync", "review"][index % 6]}${Entity}${index}`;
  const runtime = style.startsWith("aws") ? "aws" : "replayable";
  const pkg = runtime === "aws" ? "@aws/durable-execution-sdk-js" : "replayable";
  let wrap = "withDurableExecution";
  let ctxType = "DurableContext";
  const imports = [];
  if (style === "aws-namespace") {
    imports.push(`import * as durable from "${pkg}";`);
    wrap = "durable.withDurableExecution";
    ctxType = "durable.DurableContext";
  } else if (style === "replayable-renamed" || style === "aws-renamed") {
    imports.push(`import { withDurableExecution as durableHandler, type DurableContext as Ctx } from "${pkg}";`);
    wrap = "durableHandler";
    ctxType = "Ctx";
  } else {
    imports.push(`import { withDurableExecution, type DurableContext } from "${pkg}";`);
  }
  imports.push(`import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";`);
  if (chance(0.4)) imports.push(`import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";`);
  imports.push(`import { ${entity}Schema, type ${Entity}Input } from "../schemas/${entity}.js";`);

  // Mistakes: each is one line of orchestration code that yields exactly one finding.
  const mistakes = dirty ? int(1, 3) : 0;
  const mistakeLines = [];
  const mistakeHelpers = [];
  const needs = new Set();
  for (let m = 0; m < mistakes; m++) {
    const kind = pick(["clock", "random", "console", "env", "timer", "fetch", "send", "invoke", "helper", "request-id", "new-date", "uuid"]);
    switch (kind) {
      case "clock": mistakeLines.push(`const startedAt${m} = Date.now();`, `${ctx}.logger.info("started", { startedAt: startedAt${m} });`); break;
      case "random": mistakeLines.push(`const token${m} = Math.random().toString(36).slice(2);`, `${ctx}.logger.debug("token", { token: token${m} });`); break;
      case "console": mistakeLines.push(`console.log("processing ${entity}", input.id);`); break;
      // A per-invocation variable: a named configuration read is the same on every replay of a version (not a finding).
      case "env": mistakeLines.push(`const trace${m} = process.env._X_AMZN_TRACE_ID ?? "none";`, `${ctx}.logger.info("trace", { trace: trace${m} });`); break;
      case "timer": mistakeLines.push(`await new Promise((resolve) => setTimeout(resolve, 2000));`); break;
      case "fetch": mistakeLines.push(`const quote${m} = await fetch(\`https://${service}.example.com/quotes/\${input.id}\`).then((r) => r.json());`, `${ctx}.logger.info("quote", { quote: quote${m} });`); break;
      case "send": mistakeLines.push(`await dynamo.send(new PutItemCommand({ TableName: "${table}Audit", Item: { pk: { S: input.id } } }));`); break;
      case "invoke": mistakeLines.push(`await ${ctx}.invoke("audit-${m}", "${service}-audit", { id: input.id });`); break;
      case "helper":
        mistakeLines.push(`const shard${m} = pickShard${m}(input.id);`, `${ctx}.logger.info("shard", { shard: shard${m} });`);
        mistakeHelpers.push(
          `function pickShard${m}(id: string): string {`,
          `  return \`\${id.slice(0, 2)}-\${Math.floor(Math.random() * 8)}\`;`,
          `}`,
          ``,
        );
        break;
      case "request-id": mistakeLines.push(`const requestId${m} = ${ctx}.lambdaContext.awsRequestId;`, `${ctx}.logger.info("request", { requestId: requestId${m} });`); break;
      case "new-date": mistakeLines.push(`const today${m} = new Date();`, `${ctx}.logger.info("day", { day: today${m}.getDay() });`); break;
      case "uuid": mistakeLines.push(`const correlationId${m} = randomUUID();`, `${ctx}.logger.info("correlation", { correlationId: correlationId${m} });`); needs.add("uuid"); break;
    }
  }
  if (needs.has("uuid")) imports.push(`import { randomUUID } from "node:crypto";`);

  const lines = [];
  const push = (...more) => lines.push(...more);
  push(`// ${plural}/${name}.ts: generated benchmark handler #${index}`, ...imports, ``);
  push(`const dynamo = new DynamoDBClient({});`, `const ${service.toUpperCase()}_URL = "https://${service}.internal.example.com";`, ``);

  // Ordinary code next to the handler: never reported, still parsed and linted.
  const ordinary = [
    () => [
      `export interface ${Entity}Record {`,
      `  id: string;`,
      `  customerId: string;`,
      `  ${amount}: number;`,
      `  status: "pending" | "active" | "done" | "failed";`,
      `  lines: { sku: string; quantity: number; unitCents: number }[];`,
      `  tags?: string[];`,
      `}`,
      ``,
    ],
    () => [
      `export function validate${Entity}(input: ${Entity}Input): string[] {`,
      `  const errors: string[] = [];`,
      `  if (!input.id || input.id.length > 64) errors.push("id must be 1-64 characters");`,
      `  if (input.${amount} < 0) errors.push("${amount} must not be negative");`,
      `  for (const [index, line] of (input.lines ?? []).entries()) {`,
      `    if (line.quantity <= 0) errors.push(\`line \${index}: quantity must be positive\`);`,
      `    if (!/^[A-Z0-9-]{3,32}$/.test(line.sku)) errors.push(\`line \${index}: bad sku \${line.sku}\`);`,
      `  }`,
      `  return errors;`,
      `}`,
      ``,
    ],
    () => [
      `export function formatCents(cents: number, currency = "EUR"): string {`,
      `  const sign = cents < 0 ? "-" : "";`,
      `  const absolute = Math.abs(cents);`,
      `  return \`\${sign}\${Math.floor(absolute / 100)}.\${String(absolute % 100).padStart(2, "0")} \${currency}\`;`,
      `}`,
      ``,
      `export function sumLines(lines: { quantity: number; unitCents: number }[]): number {`,
      `  return lines.reduce((total, line) => total + line.quantity * line.unitCents, 0);`,
      `}`,
      ``,
    ],
    () => [
      `/** Data access for ${plural}; used inside steps and by the admin API. */`,
      `export class ${Entity}Repository {`,
      `  constructor(private readonly tableName = process.env.${table.toUpperCase()}_TABLE ?? "${table}") {}`,
      ``,
      `  async get(id: string) {`,
      `    const result = await dynamo.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: id } } }));`,
      `    return result.Item ? { id, raw: result.Item } : undefined;`,
      `  }`,
      ``,
      `  async markUpdated(id: string) {`,
      `    const updatedAt = new Date().toISOString();`,
      `    await dynamo.send(new PutItemCommand({ TableName: this.tableName, Item: { pk: { S: id }, updatedAt: { S: updatedAt } } }));`,
      `    console.log("updated", id, updatedAt);`,
      `  }`,
      `}`,
      ``,
    ],
    () => [
      `/** Plain Lambda health check: not durable, so clocks and logging are fine. */`,
      `export async function healthCheck() {`,
      `  const started = Date.now();`,
      `  const response = await fetch(\`\${${service.toUpperCase()}_URL}/health\`);`,
      `  console.info("health", response.status, Date.now() - started);`,
      `  return { ok: response.ok, latencyMs: Date.now() - started, region: process.env.AWS_REGION };`,
      `}`,
      ``,
    ],
    () => [
      `const RETRYABLE = new Set(["ThrottlingException", "ServiceUnavailable", "RequestTimeout"]);`,
      ``,
      `export function isRetryable(error: unknown): boolean {`,
      `  if (!(error instanceof Error)) return false;`,
      `  return RETRYABLE.has(error.name) || /timeout|throttl/i.test(error.message);`,
      `}`,
      ``,
      `export function backoffSeconds(attempt: number): number {`,
      `  return Math.min(300, 2 ** attempt);`,
      `}`,
      ``,
    ],
    () => [
      `export function summarize${Entity}(record: { id: string; status: string; tags?: string[] }): string {`,
      `  const tags = record.tags?.length ? \` [\${record.tags.join(", ")}]\` : "";`,
      `  switch (record.status) {`,
      `    case "pending":`,
      `      return \`${entity} \${record.id} is waiting\${tags}\`;`,
      `    case "active":`,
      `      return \`${entity} \${record.id} is in progress\${tags}\`;`,
      `    default:`,
      `      return \`${entity} \${record.id}: \${record.status}\${tags}\`;`,
      `  }`,
      `}`,
      ``,
    ],
  ];

  // Durable operations for the handler body; each returns lines of orchestration code.
  const I = "  ";
  const ops = [
    () => [
      `const existing = await ${ctx}.step("load-${entity}", async () => {`,
      `  const result = await dynamo.send(new GetItemCommand({ TableName: "${table}", Key: { pk: { S: input.id } } }));`,
      `  return result.Item ? { found: true, status: result.Item.status?.S ?? "pending" } : { found: false, status: "new" };`,
      `});`,
      `if (existing.found && existing.status === "done") return { id: input.id, status: "already-done" };`,
    ],
    () => [
      `const priced = await ${ctx}.step("price", async () => {`,
      `  const response = await fetch(\`\${${service.toUpperCase()}_URL}/price\`, { method: "POST", body: JSON.stringify(input) });`,
      `  if (!response.ok) throw new Error(\`pricing failed: \${response.status}\`);`,
      `  return (await response.json()) as { ${amount}: number; currency: string };`,
      `});`,
      `const total = applyDiscount(priced.${amount}, input.tags ?? []);`,
    ],
    () => [`await ${ctx}.wait("cool-down", { seconds: ${pick([30, 60, 300, 900])} });`],
    () => [
      `const checks = await ${ctx}.runInChildContext("checks", async (child) => {`,
      `  const fraud = await child.step("fraud", async () => ({ score: (await fetch(\`\${${service.toUpperCase()}_URL}/fraud/\${input.id}\`)).status === 200 ? 0.1 : 0.9 }));`,
      `  const limits = await child.step("limits", async () => ({ ok: input.${amount} < 1_000_000 }));`,
      `  return { risky: fraud.score > 0.5 || !limits.ok };`,
      `});`,
      `if (checks.risky) ${ctx}.logger.warn("risky ${entity}", { id: input.id });`,
    ],
    () => [
      `const perLine = await ${ctx}.map("reserve-lines", input.lines ?? [], async (item, line, position) => {`,
      `  const reservation = await item.step(\`reserve-\${position}\`, async () => {`,
      `    const response = await fetch(\`\${${service.toUpperCase()}_URL}/reserve\`, { method: "POST", body: JSON.stringify(line) });`,
      `    return (await response.json()) as { reservationId: string };`,
      `  });`,
      `  return { sku: line.sku, reservationId: reservation.reservationId };`,
      `}, { maxConcurrency: ${pick([4, 8, 16])} });`,
      `const reserved = perLine.getResults().map((entry) => entry.reservationId);`,
    ],
    () => [
      `await ${ctx}.parallel("notify", [`,
      `  async (branch) => branch.step("email", async () => { await fetch(\`\${${service.toUpperCase()}_URL}/email\`, { method: "POST" }); }),`,
      `  { name: "audit", func: async (branch) => branch.step("audit", async () => { await dynamo.send(new PutItemCommand({ TableName: "Audit", Item: { pk: { S: input.id } } })); }) },`,
      `]);`,
    ],
    () => [`const scored = await ${ctx}.invoke("score", "arn:aws:lambda:eu-west-1:123456789012:function:${service}-scorer:live", { id: input.id });`, `${ctx}.logger.info("scored", { scored });`],
    () => [
      `const approval = await ${ctx}.waitForCallback("approval", async (callbackId) => {`,
      `  await fetch(\`\${${service.toUpperCase()}_URL}/approvals\`, { method: "POST", body: JSON.stringify({ callbackId, id: input.id, at: Date.now() }) });`,
      `}, { timeout: { hours: ${pick([1, 24, 72])} } });`,
      `if (approval !== "approved") return { id: input.id, status: "rejected" };`,
    ],
    () => [
      `const settled = await ${ctx}.waitForCondition("settled", async (state: { done: boolean; polls: number }) => {`,
      `  const response = await fetch(\`\${${service.toUpperCase()}_URL}/status/\${input.id}\`);`,
      `  const body = (await response.json()) as { status: string };`,
      `  return { done: body.status === "settled", polls: state.polls + 1 };`,
      `}, { initialState: { done: false, polls: 0 }, waitStrategy: (state) => (state.done ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: backoff(state.polls) } }) });`,
    ],
    () => [
      `const label = describe${Entity}(input.id, input.tags ?? []);`,
      `${ctx}.logger.info("processing", { label });`,
    ],
    () => [
      `for (const [position, line] of (input.lines ?? []).entries()) {`,
      `  if (line.quantity > 100) {`,
      `    await ${ctx}.step(\`bulk-check-\${position}\`, async () => ({ ok: (await fetch(\`\${${service.toUpperCase()}_URL}/bulk/\${line.sku}\`)).ok }));`,
      `  }`,
      `}`,
    ],
  ];

  // Helpers called from orchestration code: the analysis follows them (deterministic ones stay silent).
  const helpers = [
    `function applyDiscount(cents: number, tags: string[]): number {`,
    `  const rate = tags.includes("vip") ? 0.1 : tags.includes("employee") ? 0.2 : 0;`,
    `  return Math.round(cents * (1 - rate));`,
    `}`,
    ``,
    `const backoff = (polls: number): number => Math.min(3600, 30 * 2 ** polls);`,
    ``,
    `function describe${Entity}(id: string, tags: string[]): string {`,
    `  return tags.length > 0 ? \`${entity} \${id} (\${tags.join("/")})\` : \`${entity} \${id}\`;`,
    `}`,
    ``,
    ...mistakeHelpers,
  ];

  const opCount = int(3, 7);
  const order = [...ops.keys()].sort(() => (chance(0.5) ? 1 : -1));
  const groups = order.slice(0, opCount).map((key) => ops[key]());
  // Mistakes go between operations, never inside one (a step body is allowed to do anything).
  for (const mistake of mistakeLines.length ? groupMistakes(mistakeLines) : []) {
    groups.splice(int(0, groups.length), 0, mistake);
  }
  const body = groups.flat();

  const handlerLines = [];
  if (style === "aws-named" && index % 4 === 0) {
    // A handler declared as a function and passed to withDurableExecution by name.
    handlerLines.push(
      `async function ${name}Handler(event: ${Entity}Input, ${ctx}: ${ctxType}) {`,
      `${I}const input = ${entity}Schema.parse(event);`,
      ...body.map((line) => I + line),
      `${I}${ctx}.logger.info("done", { id: input.id });`,
      `${I}return { id: input.id, status: "done" };`,
      `}`,
      ``,
      `export const ${name} = ${wrap}(${name}Handler);`,
    );
  } else if (style === "replayable-typed-helper") {
    // The workflow lives in a function found by its DurableContext parameter.
    handlerLines.push(
      `export async function ${name}Workflow(${ctx}: ${ctxType}, input: ${Entity}Input) {`,
      ...body.map((line) => I + line),
      `${I}${ctx}.logger.info("done", { id: input.id });`,
      `${I}return { id: input.id, status: "done" };`,
      `}`,
      ``,
      `export const ${name} = ${wrap}(async (event: ${Entity}Input, ${ctx}: ${ctxType}) => ${name}Workflow(${ctx}, event));`,
    );
  } else {
    handlerLines.push(
      `export const ${name} = ${wrap}(async (event: ${Entity}Input, ${ctx}: ${ctxType}) => {`,
      `${I}const input = ${entity}Schema.parse(event);`,
      ...body.map((line) => I + line),
      `${I}${ctx}.logger.info("done", { id: input.id });`,
      `${I}return { id: input.id, status: "done" };`,
      `});`,
    );
  }

  push(...helpers);
  const target = int(60, 150);
  const fixed = lines.length + handlerLines.length + 1;
  const available = ordinary.map((make) => make());
  const chosen = [];
  let size = fixed;
  for (const section of available.sort(() => (chance(0.5) ? 1 : -1))) {
    if (size >= target) break;
    if (size + section.length > 150) continue;
    chosen.push(section);
    size += section.length;
  }
  for (const section of chosen) push(...section);
  push(...handlerLines, ``);

  const text = lines.join("\n");
  return { path: `${plural}/${name}.ts`, text, expectedFindings: mistakes, lines: lines.length };
}

/** A mistake spans one or two lines (the second uses the value); keep them together. */
function groupMistakes(lines) {
  const groups = [];
  for (const line of lines) {
    const previous = groups[groups.length - 1];
    if (previous && previous.length === 1 && /^\S+\.logger\.|^if \(stage/.test(line)) previous.push(line);
    else groups.push([line]);
  }
  return groups;
}

/**
 * The files that make the corpus a TypeScript program, for the type-aware comparison:
 * a tsconfig.json over every file, the `../schemas/<entity>.js` modules the handlers
 * import, and declarations for the AWS SDK clients they use (not installed in this repo).
 * The durable SDKs resolve to real types: `@aws/durable-execution-sdk-js` from the repo's
 * node_modules, `replayable` by package self-reference (so the corpus must live under the
 * repo, and `npm run build` must have produced dist/). None of these files is linted.
 */
export function generateProgramFiles() {
  const files = [];
  files.push({
    path: "tsconfig.json",
    text: `${JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          lib: ["ES2023"],
          types: ["node"],
          strict: true,
          skipLibCheck: true,
          noEmit: true,
        },
        include: ["**/*.ts"],
      },
      null,
      2,
    )}\n`,
  });
  for (const { entity, amount } of DOMAINS) {
    const Entity = cap(entity);
    files.push({
      path: `schemas/${entity}.ts`,
      text: [
        `export interface ${Entity}Input {`,
        `  id: string;`,
        `  customerId: string;`,
        `  ${amount}: number;`,
        `  lines?: { sku: string; quantity: number; unitCents: number }[];`,
        `  tags?: string[];`,
        `}`,
        ``,
        `export const ${entity}Schema = {`,
        `  parse(value: unknown): ${Entity}Input {`,
        `    if (typeof value !== "object" || value === null) throw new TypeError("${entity}: expected an object");`,
        `    const candidate = value as Partial<${Entity}Input>;`,
        `    if (typeof candidate.id !== "string" || typeof candidate.${amount} !== "number") throw new TypeError("${entity}: bad fields");`,
        `    return candidate as ${Entity}Input;`,
        `  },`,
        `};`,
        ``,
      ].join("\n"),
    });
  }
  const client = (module, clientName, commands) => [
    `declare module "${module}" {`,
    `  export interface AttributeValue { S?: string; N?: string; BOOL?: boolean; M?: Record<string, AttributeValue> }`,
    ...commands.flatMap(({ name, input, output }) => [
      `  export interface ${name}Input ${input}`,
      `  export interface ${name}Output ${output}`,
      `  export class ${name} {`,
      `    readonly input: ${name}Input;`,
      `    protected readonly __output?: ${name}Output;`,
      `    constructor(input: ${name}Input);`,
      `  }`,
    ]),
    `  export class ${clientName} {`,
    `    constructor(config: { region?: string; endpoint?: string });`,
    ...commands.map(({ name }) => `    send(command: ${name}): Promise<${name}Output>;`),
    `    destroy(): void;`,
    `  }`,
    `}`,
    ``,
  ];
  files.push({
    path: "types/aws-sdk.d.ts",
    text: [
      `// Declarations for the AWS SDK clients the generated handlers import (not installed here).`,
      ...client("@aws-sdk/client-dynamodb", "DynamoDBClient", [
        { name: "GetItemCommand", input: `{ TableName: string; Key: Record<string, AttributeValue> }`, output: `{ Item?: Record<string, AttributeValue> }` },
        { name: "PutItemCommand", input: `{ TableName: string; Item: Record<string, AttributeValue> }`, output: `{ Attributes?: Record<string, AttributeValue> }` },
      ]),
      ...client("@aws-sdk/client-sqs", "SQSClient", [
        { name: "SendMessageCommand", input: `{ QueueUrl: string; MessageBody: string }`, output: `{ MessageId?: string }` },
      ]),
    ].join("\n"),
  });
  return files;
}
