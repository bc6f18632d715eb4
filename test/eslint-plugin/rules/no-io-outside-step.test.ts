import rule from "../../../eslint-plugin/rules/no-io-outside-step.js";
import { awsHandler, createRuleTester, replayableHandler } from "../rule-tester.js";

const ruleTester = createRuleTester();

const S3 = `import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";
const s3 = new S3Client({});`;

ruleTester.run("no-io-outside-step", rule, {
  valid: [
    // I/O inside steps is what steps are for.
    awsHandler(`const res = await context.step("fetch", async () => (await fetch(event.url)).json());
  await context.step("put", async () => s3.send(new GetObjectCommand({ Bucket: "b", Key: "k" })));`, S3),
    replayableHandler(`await context.waitForCallback("approve", async (callbackId) => {
    await fetch("https://example.com/approve", { method: "POST", body: callbackId });
  });`),
    // Constructing a client or a command is not I/O; only sending is.
    awsHandler(`const command = new GetObjectCommand({ Bucket: "b", Key: "k" });
  return command.input;`, S3),
    // Module setup outside the handler runs once per container and is not replayed code.
    `${S3}
import fs from "node:fs";
const config = JSON.parse(fs.readFileSync("config.json", "utf8"));
export async function notDurable() { return fetch("https://example.com"); }`,
    // A parameter named fetch shadows the global.
    awsHandler(`const load = async (fetch: (u: string) => Promise<number>) => fetch("x");
  return context.step("load", () => load(async () => 1));`),
    `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
export const handler = withDurableExecution(async (event: any, context: any) => {
  function fetch(url: string) { return url.length; }
  return fetch("local");
});`,
    // Branches built at run time with .map: each branch's context is recognised, so its steps are step code.
    awsHandler(`await context.parallel("confirm", event.warehouses.map((warehouse: string) => async (branch: any) => {
    await branch.step("confirm-" + warehouse, async () => fetch("https://" + warehouse));
  }));`),
    // Passing a client object to a function is not a call into it.
    awsHandler(`const [message] = await context.step("wait", async () => once(worker, "message"));
  register(worker);`, `import { Worker } from "node:worker_threads";
import { once } from "node:events";
const worker = new Worker("./w.js");
declare function register(w: unknown): void;`),
  ],
  invalid: [
    {
      code: awsHandler(`const res = await fetch(event.url);`),
      errors: [{ messageId: "found", line: 4, column: 19 }],
    },
    {
      // AWS SDK v3 clients: send() is the I/O.
      code: awsHandler(`const object = await s3.send(new GetObjectCommand({ Bucket: "b", Key: "k" }));`, S3),
      errors: [{ messageId: "found", line: 5, data: {
        source: 's3.send() (S3Client().send from "@aws-sdk/client-s3")',
        where: "",
        fix: "move it into context.step(...) and return only plain data from the step, so the result is recorded and the call is not repeated on replay",
      } }],
    },
    {
      // Node builtins with and without node:, named, default and namespace imports; promises APIs.
      code: awsHandler(`const a = readFileSync("/tmp/a");
  const b = await fsp.readFile("/tmp/b");
  const c = await fs.promises.stat("/tmp/c");
  execSync("ls");
  https.get("https://example.com");
  await lookup("example.com");`, `import { readFileSync } from "node:fs";
import fsp from "fs/promises";
import * as fs from "fs";
import { execSync } from "child_process";
import https from "node:https";
import { lookup } from "node:dns/promises";`),
      errors: [9, 10, 11, 12, 13, 14].map((line) => ({ messageId: "found" as const, line })),
    },
    {
      // Database and HTTP client libraries, through instances created at module level.
      code: awsHandler(`const rows = await pool.query("select 1");
  const { data } = await axios.get(event.url);
  await redis.set("k", "v");
  await prisma.order.findMany();`, `import { Pool } from "pg";
import axios from "axios";
import Redis from "ioredis";
import { PrismaClient } from "@prisma/client";
const pool = new Pool();
const redis = new Redis();
const prisma = new PrismaClient();`),
      errors: [10, 11, 12, 13].map((line) => ({ messageId: "found" as const, line })),
    },
    {
      // Browser-style constructors.
      code: awsHandler(`const socket = new WebSocket("wss://example.com");
  const xhr = new XMLHttpRequest();`),
      errors: [{ messageId: "found", line: 4 }, { messageId: "found", line: 5 }],
    },
    {
      // Child contexts and helpers: the chain names the helper and the handler.
      code: `import { withDurableExecution } from "replayable";
async function loadPrice(sku: string) {
  return (await fetch("https://prices/" + sku)).json();
}
export const checkout = withDurableExecution(async (event: any, context: any) => {
  await context.runInChildContext("pricing", async (child: any) => loadPrice(event.sku));
});`,
      filename: "checkout.ts",
      errors: [{ messageId: "found", line: 3, data: {
        source: "fetch()",
        where: " in loadPrice(), called from handler checkout at checkout.ts:6",
        fix: "move it into context.step(...) and return only plain data from the step, so the result is recorded and the call is not repeated on replay",
      } }],
    },
  ],
});
