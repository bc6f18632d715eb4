import rule from "../../../eslint-plugin/rules/no-nondeterminism-outside-step.js";
import { awsHandler, createRuleTester, replayableHandler } from "../rule-tester.js";

const ruleTester = createRuleTester();

const RANDOM_FIX = "wrap it in context.step(...), or use context.random() on replayable's runtime / deterministic(context).random() imported from \"replayable\" on an AWS SDK context";
const UUID_FIX = "wrap it in context.step(...), or use context.uuid() on replayable's runtime / deterministic(context).uuid() imported from \"replayable\" on an AWS SDK context";
const CLOCK_FIX = "read the time inside context.step(...) so the value is recorded, or use context.now() (replayable)";

ruleTester.run("no-nondeterminism-outside-step", rule, {
  valid: [
    // A handler that takes no context issues no operation: nothing is recorded, it never replays.
    `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event: unknown) => ({ at: Date.now() }));`,
    // Inside step code every source is allowed: the result is recorded.
    awsHandler(`const id = await context.step("id", async () => crypto.randomUUID());
  const at = await context.step("at", async () => Date.now());`),
    awsHandler(`await context.waitForCondition("poll", async (state) => ({ ...state, t: Date.now() }), { initialState: {}, waitStrategy: () => ({ shouldContinue: false }) });`),
    awsHandler(`await context.waitForCallback("approval", async (callbackId) => { Math.random(); }, { timeout: { hours: 1 } });`),
    // A step function declared elsewhere and passed by name is step code.
    `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
const pick = async () => Math.random();
export const handler = withDurableExecution(async (event, context) => {
  return context.step("pick", pick);
});`,
    // Outside any durable handler nothing is reported.
    `export function plain() { return Math.random() + Date.now(); }`,
    `const startedAt = Date.now(); export const x = new Date();`,
    // A handler-looking function without the durable import is not a handler.
    `import { withDurableExecution } from "some-other-lib";
export const handler = withDurableExecution(async (event, context) => Math.random());`,
    // Shadowed names are not sources.
    awsHandler(`const Math = { random: () => 4 };
  return Math.random();`),
    awsHandler(`function roll(Date: { now(): number }) { return Date.now(); }
  return roll({ now: () => 1 });`),
    // new Date(value) is deterministic; only the clock read is not.
    awsHandler(`return new Date(event.createdAt).toISOString();`),
    // uuid v5 is name-based and deterministic.
    awsHandler(`return v5("order", NAMESPACE);`, `import { v5 } from "uuid";\nconst NAMESPACE = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";`),
    // A function reference passed as the step function runs inside the step.
    awsHandler(`const at = await context.step("assigned-at", Date.now);`),
    // A let that is later reassigned is not followed as an alias.
    awsHandler(`let r = Math.random; r = () => 1; return r();`),
    // An alias called only inside a step is reported nowhere, its declaration included.
    awsHandler(`const draw = Math.random;
  return context.step("draw", async () => draw());`),
  ],
  invalid: [
    {
      code: awsHandler(`const roll = Math.random();`),
      errors: [
        {
          messageId: "found",
          line: 4,
          column: 14,
          suggestions: [{ messageId: "wrapInStep", data: { name: "roll", context: "context" }, output: awsHandler(`const roll = await context.step("roll", async () => Math.random());`) }],
        },
      ],
    },
    {
      // Every clock read, once each.
      code: awsHandler(`const a = Date.now();
  const b = new Date();
  const c = Date();
  const d = performance.now();
  const e = process.hrtime.bigint();`),
      errors: [
        { messageId: "found", line: 4, suggestions: [{ messageId: "wrapInStep", output: awsHandler(`const a = await context.step("a", async () => Date.now());
  const b = new Date();
  const c = Date();
  const d = performance.now();
  const e = process.hrtime.bigint();`) }] },
        { messageId: "found", line: 5, suggestions: [{ messageId: "wrapInStep", output: awsHandler(`const a = Date.now();
  const b = new Date(await context.step("b", async () => Date.now()));
  const c = Date();
  const d = performance.now();
  const e = process.hrtime.bigint();`) }] },
        { messageId: "found", line: 6, suggestions: [{ messageId: "wrapInStep", output: awsHandler(`const a = Date.now();
  const b = new Date();
  const c = await context.step("c", async () => Date());
  const d = performance.now();
  const e = process.hrtime.bigint();`) }] },
        { messageId: "found", line: 7, suggestions: [] },
        { messageId: "found", line: 8, suggestions: [] },
      ],
    },
    {
      // replayable's runtime offers seeded helpers that add no operation.
      code: replayableHandler(`const id = crypto.randomUUID();`),
      errors: [
        {
          messageId: "found",
          suggestions: [
            { messageId: "useContextHelper", data: { replacement: "context.uuid()" }, output: replayableHandler(`const id = context.uuid();`) },
            { messageId: "wrapInStep", output: replayableHandler(`const id = await context.step("id", async () => crypto.randomUUID());`) },
          ],
        },
      ],
    },
    {
      // Aliases, destructuring and globalThis are followed to the source (in a callback: no await, no suggestion);
      // an alias taken in orchestration code is reported where it is taken too, as AWS's plugin does.
      code: awsHandler(`const { now } = Date;
  const r = Math.random;
  return event.items.map(() => [now(), r(), globalThis.Math.random(), window.crypto.getRandomValues(new Uint8Array(4))]);`),
      errors: [
        { messageId: "found", line: 4, column: 9, data: { source: "Date.now (taken as now, called at line 6)", where: "", fix: CLOCK_FIX }, suggestions: [] },
        { messageId: "found", line: 5, column: 13, data: { source: "Math.random (taken as r, called at line 6)", where: "", fix: RANDOM_FIX }, suggestions: [] },
        { messageId: "found", line: 6, column: 33, data: { source: "now() (Date.now)", where: "", fix: CLOCK_FIX }, suggestions: [] },
        { messageId: "found", line: 6, column: 40, data: { source: "r() (Math.random)", where: "", fix: RANDOM_FIX }, suggestions: [] },
        { messageId: "found", line: 6, column: 45, suggestions: [] },
        { messageId: "found", line: 6, column: 71, suggestions: [] },
      ],
    },
    {
      // Imports from node:crypto, uuid, nanoid, ulid and cuid2, named, renamed and namespace.
      code: awsHandler(
        `return event.orders.map(() => [randomUUID(), nodeCrypto.randomBytes(8), uuidv4(), uuid.v7(), nanoid(), ulid(), createId(), makeId()]);`,
        `import { randomUUID } from "node:crypto";
import * as nodeCrypto from "crypto";
import { v4 as uuidv4 } from "uuid";
import * as uuid from "uuid";
import { nanoid, customAlphabet } from "nanoid";
import { ulid } from "ulid";
import { createId } from "@paralleldrive/cuid2";
const makeId = customAlphabet("abc", 8);`,
      ),
      errors: Array.from({ length: 8 }, () => ({ messageId: "found" as const, line: 11, suggestions: [] })),
    },
    {
      // WeakRef and FinalizationRegistry depend on garbage collection timing.
      code: awsHandler(`const ref = new WeakRef(event);
  const registry = new FinalizationRegistry(() => {});`),
      errors: [{ messageId: "found", line: 4 }, { messageId: "found", line: 5 }],
    },
    {
      // A helper in the same file called from orchestration code is orchestration code, with the reason chain.
      code: `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
function pickWinner(entries: string[]) {
  return entries[Math.floor(Math.random() * entries.length)];
}
function draw(entries: string[]) {
  return pickWinner(entries);
}
export const processOrder = withDurableExecution(async (event: any, context: any) => {
  return draw(event.entries);
});`,
      filename: "order.ts",
      errors: [
        {
          messageId: "found",
          line: 3,
          data: {
            source: "Math.random()",
            where: " in pickWinner(), called from draw() at order.ts:6, called from handler processOrder at order.ts:9",
            fix: RANDOM_FIX,
          },
        },
      ],
    },
    {
      // Child contexts, parallel branches and map items are orchestration code; their contexts get the suggestion.
      code: awsHandler(`await context.runInChildContext("child", async (child: any) => { const t = Date.now(); });
  await context.parallel([async (branch: any) => Math.random(), { name: "b", func: async () => Date.now() }]);
  await context.map(event.items, async (itemContext: any, item: any) => Math.random());`),
      errors: [
        { messageId: "found", line: 4, suggestions: [{ messageId: "wrapInStep", output: awsHandler(`await context.runInChildContext("child", async (child: any) => { const t = await child.step("t", async () => Date.now()); });
  await context.parallel([async (branch: any) => Math.random(), { name: "b", func: async () => Date.now() }]);
  await context.map(event.items, async (itemContext: any, item: any) => Math.random());`) }] },
        { messageId: "found", line: 5, suggestions: [{ messageId: "wrapInStep", output: awsHandler(`await context.runInChildContext("child", async (child: any) => { const t = Date.now(); });
  await context.parallel([async (branch: any) => await branch.step("random", async () => Math.random()), { name: "b", func: async () => Date.now() }]);
  await context.map(event.items, async (itemContext: any, item: any) => Math.random());`) }] },
        { messageId: "found", line: 5, suggestions: [] },
        { messageId: "found", line: 6, suggestions: [{ messageId: "wrapInStep", output: awsHandler(`await context.runInChildContext("child", async (child: any) => { const t = Date.now(); });
  await context.parallel([async (branch: any) => Math.random(), { name: "b", func: async () => Date.now() }]);
  await context.map(event.items, async (itemContext: any, item: any) => await itemContext.step("random", async () => Math.random()));`) }] },
      ],
    },
    {
      // A step name built from the clock is evaluated in orchestration code.
      code: awsHandler("await context.step(`charge-${Date.now()}`, async () => 1);"),
      errors: [{ messageId: "found", line: 4, suggestions: [{ messageId: "wrapInStep", output: awsHandler("await context.step(`charge-${await context.step(\"now\", async () => Date.now())}`, async () => 1);") }] }],
    },
    {
      // A function with a DurableContext parameter is a handler, from either package, even renamed or namespaced.
      code: `import type { DurableContext as Ctx } from "replayable";
import * as aws from "@aws/durable-execution-sdk-js";
export async function a(ctx: Ctx) { return Math.random(); }
export async function b(event: unknown, ctx: aws.DurableContext) { return Date.now(); }`,
      errors: [
        { messageId: "found", line: 3, suggestions: [
          { messageId: "useContextHelper", output: `import type { DurableContext as Ctx } from "replayable";
import * as aws from "@aws/durable-execution-sdk-js";
export async function a(ctx: Ctx) { return ctx.random(); }
export async function b(event: unknown, ctx: aws.DurableContext) { return Date.now(); }` },
          { messageId: "wrapInStep", output: `import type { DurableContext as Ctx } from "replayable";
import * as aws from "@aws/durable-execution-sdk-js";
export async function a(ctx: Ctx) { return await ctx.step("random", async () => Math.random()); }
export async function b(event: unknown, ctx: aws.DurableContext) { return Date.now(); }` },
        ] },
        { messageId: "found", line: 4, suggestions: [{ messageId: "wrapInStep", output: `import type { DurableContext as Ctx } from "replayable";
import * as aws from "@aws/durable-execution-sdk-js";
export async function a(ctx: Ctx) { return Math.random(); }
export async function b(event: unknown, ctx: aws.DurableContext) { return await ctx.step("now", async () => Date.now()); }` }] },
      ],
    },
    {
      // A handler declared elsewhere and passed by name; a namespace import of the SDK; CommonJS require.
      code: `const sdk = require("@aws/durable-execution-sdk-js");
const { v4 } = require("uuid");
async function main(event, context) { return v4(); }
exports.handler = sdk.withDurableExecution(main);`,
      filename: "handler.js",
      errors: [{ messageId: "found", line: 3, data: { source: 'v4() from "uuid"', where: "", fix: UUID_FIX },
          suggestions: [{ messageId: "wrapInStep", output: `const sdk = require("@aws/durable-execution-sdk-js");
const { v4 } = require("uuid");
async function main(event, context) { return await context.step("v4", async () => v4()); }
exports.handler = sdk.withDurableExecution(main);` }] }],
    },
    {
      // A non-async callback cannot await: no step suggestion.
      code: awsHandler(`return event.items.map((item: any) => ({ ...item, id: Math.random() }));`),
      errors: [{ messageId: "found", line: 4, suggestions: [] }],
    },
    {
      // A source passed as a callback is reported where it is passed.
      code: awsHandler(`return event.items.map(Math.random);`),
      errors: [{ messageId: "found", line: 4, column: 24, suggestions: [] }],
    },
  ],
});
