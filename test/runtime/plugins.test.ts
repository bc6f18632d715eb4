// How the runtime treats instrumentation plugins that misbehave: a wrapper never changes how
// often the wrapped function runs or what its error is; the replay check is never reported;
// an awaited hook holds the operation back.
import { describe, expect, it } from "vitest";
import { retryPresets, withDurableExecution, type DurableContext, type DurableInstrumentationPlugin } from "../../runtime/index.js";
import { LocalDurableTestRunner } from "../../testing/index.js";

const run = async (plugins: DurableInstrumentationPlugin[], body: (ctx: DurableContext) => Promise<unknown>) => {
  const runner = new LocalDurableTestRunner({ handlerFunction: withDurableExecution(async (_e: unknown, ctx: DurableContext) => body(ctx), { plugins }) });
  return runner.run();
};

describe("plugin wrappers", () => {
  it("run the step body once when a wrapper never calls it, calls it twice, or throws after it", async () => {
    let runs = 0;
    const wrappers: DurableInstrumentationPlugin[] = [
      { wrapOperationAttemptFn: () => "not the body's value" },
      { wrapOperationAttemptFn: (_info, fn) => (fn(), fn()) },
      {
        wrapOperationAttemptFn: (_info, fn) => {
          fn();
          throw new Error("plugin fails after the body");
        },
      },
    ];
    for (const plugin of wrappers) {
      runs = 0;
      const result = await run([plugin], (ctx) => ctx.step("s", async () => (runs++, "body")));
      expect(runs).toBe(1);
      expect(result.getStatus()).toBe("SUCCEEDED");
    }
  });

  it("pass the body's own error on even when a wrapper swallows it", async () => {
    const swallowing: DurableInstrumentationPlugin = {
      wrapOperationAttemptFn: async (_info, fn) => {
        try {
          return await (fn() as Promise<unknown>);
        } catch {
          return "swallowed";
        }
      },
    };
    const result = await run([swallowing], (ctx) => ctx.step("s", async () => Promise.reject(new Error("the body fails")), { retryStrategy: retryPresets.noRetry }));
    expect(result.getStatus()).toBe("FAILED");
    expect(result.getError().errorMessage).toBe("the body fails");
  });

  it("wrap a child context's body, whose value the caller gets", async () => {
    const seen: string[] = [];
    const plugin: DurableInstrumentationPlugin = {
      wrapChildContextFn: (info, fn) => (seen.push(`${info.type} ${info.subType} ${info.name}`), fn()),
    };
    const result = await run([plugin], (ctx) => ctx.runInChildContext("child", async () => 7));
    expect(result.getResult()).toBe(7);
    expect(seen).toEqual(["CONTEXT RunInChildContext child"]);
  });
});

describe("plugin hooks", () => {
  it("are awaited: the step body starts after a slow onOperationStart resolves", async () => {
    const order: string[] = [];
    const plugin: DurableInstrumentationPlugin = {
      async onOperationStart() {
        await new Promise((resolve) => setTimeout(resolve, 30));
        order.push("hook done");
      },
    };
    await run([plugin], (ctx) => ctx.step("s", async () => void order.push("body")));
    expect(order).toEqual(["hook done", "body"]);
  });

  it("see each invocation once: the replay check is not reported", async () => {
    let starts = 0;
    const plugin: DurableInstrumentationPlugin = {
      async onInvocationStart() {
        starts++;
      },
    };
    const result = await run([plugin], async (ctx) => {
      await ctx.wait("w", { seconds: 1 });
      return "done";
    });
    expect(result.getInvocations()).toHaveLength(2);
    expect(starts).toBe(2);
  });
});

describe("enrichLogContext", () => {
  it("adds every plugin's fields to the default logger's JSON lines; a throwing one adds nothing and breaks nothing", async () => {
    const lines: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: unknown) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      const plugins: DurableInstrumentationPlugin[] = [
        { enrichLogContext: () => ({ traceId: "t-1", sampled: true }) },
        {
          enrichLogContext: () => {
            throw new Error("no context");
          },
        },
        { enrichLogContext: () => ({ tenant: "acme" }) },
      ];
      await run(plugins, (ctx) => ctx.step("s", async (step) => step.logger.info("inside the step")));
    } finally {
      process.stdout.write = write;
    }
    const entry = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.message === "inside the step");
    expect(entry).toMatchObject({ level: "INFO", operationName: "s", attempt: 1, traceId: "t-1", sampled: true, tenant: "acme" });
  });
});

describe("the plugin API's values", () => {
  it("are the official SDK's, name for name", async () => {
    const official = await import("@aws/durable-execution-sdk-js");
    const ours = await import("../../runtime/index.js");
    for (const name of ["DURABLE_INSTRUMENTATION_PLUGIN_API_VERSION", "PluginInvocationStatus", "PluginOperationStatus", "AttemptEndInfoOutcome"] as const) {
      expect(ours[name], name).toEqual(official[name]);
    }
    expect(new ours.PluginLoadError("x").message).toBe(new official.PluginLoadError("x").message);
  });
});
