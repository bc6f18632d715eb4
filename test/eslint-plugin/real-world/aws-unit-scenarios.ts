/**
 * AWS's plugin unit tests (the *.test.ts files of ../shared/real-world/aws-eslint-plugin) build
 * syntax trees by hand and call a rule's visitor on them, which only AWS's own rule objects can
 * take. Each scenario they describe is written here as source code of our own (named after the
 * unit test), so that AWS's rule and ours can both lint it. Not translated: "should be defined",
 * "should have correct meta information" and "should create rule function", which check AWS's
 * rule objects themselves.
 */
export interface UnitScenario {
  /** AWS's rule whose unit test describes the scenario. */
  readonly rule: string;
  /** The unit test's title. */
  readonly test: string;
  readonly kind: "valid" | "invalid";
  readonly code: string;
}

const handler = (body: string, imports = "") => `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
${imports}
export const handler = withDurableExecution(async (event: any, context: any) => {
${body}
});
`;

const mutation = (test: string, write: string): UnitScenario => ({
  rule: "no-closure-in-durable-operations",
  test,
  kind: "invalid",
  code: handler(`  let a = 0;
  await context.step("update", async () => {
    ${write};
  });
  return a;`),
});

/** `counter++` in a step function passed with or without a name, with or without a config. */
function overload(test: string, name: string, config: string): UnitScenario {
  return {
    rule: "no-closure-in-durable-operations",
    test,
    kind: "invalid",
    code: handler(`  let counter = 0;
  await context.step(${name}async () => {
    counter++;
  }${config});
  return counter;`),
  };
}

export const UNIT_SCENARIOS: readonly UnitScenario[] = [
  // no-non-deterministic-outside-step.test.ts
  ...(
    [
      ["should detect Math.random() outside step", "const value = Math.random();", ""],
      ["should detect Date.now() outside step", "const value = Date.now();", ""],
      ["should detect new Date() outside step", "const value = new Date().toISOString();", ""],
      ["should detect UUID generation outside step", "const value = uuidv4();", `import { v4 as uuidv4 } from "uuid";`],
      ["should detect destructured methods", "const draw = Math.random;\n  const value = draw();", ""],
    ] as const
  ).map(([test, line, imports]): UnitScenario => ({
    rule: "no-non-deterministic-outside-step",
    test,
    kind: "invalid",
    code: handler(`  ${line}\n  return context.step("use", async () => value);`, imports),
  })),
  {
    rule: "no-non-deterministic-outside-step",
    test: "should not report when inside step function",
    kind: "valid",
    code: handler(`  return context.step("draw", async () => Math.random());`),
  },

  // no-nested-durable-operations.test.ts
  {
    rule: "no-nested-durable-operations",
    test: "should handle variable shadowing correctly",
    kind: "valid",
    code: handler(`  await context.step("outer", async () => 1);
  return context.runInChildContext("child", async (context: any) => context.step("inner", async () => 2));`),
  },
  {
    rule: "no-nested-durable-operations",
    test: "should detect same context reuse",
    kind: "invalid",
    code: handler(`  return context.step("outer", async () => {
    return context.step("inner", async () => 1);
  });`),
  },

  // no-closure-in-durable-operations.test.ts
  mutation("should detect direct assignment (a = value)", "a = 1"),
  mutation("should detect compound assignment (a += 1)", "a += 1"),
  mutation("should detect increment (a++)", "a++"),
  mutation("should detect pre-increment (++a)", "++a"),
  mutation("should detect decrement (a--)", "a--"),
  {
    rule: "no-closure-in-durable-operations",
    test: "should allow reading closure variable",
    kind: "valid",
    code: handler(`  const a = event.count;
  return context.step("read", async () => a + 1);`),
  },
  {
    rule: "no-closure-in-durable-operations",
    test: "should not report if variable is declared in callback params",
    kind: "valid",
    code: handler(`  return context.step("param", async (a: any) => {
    a = 1;
    return a;
  });`),
  },
  {
    rule: "no-closure-in-durable-operations",
    test: "should not report if variable is declared in callback body",
    kind: "valid",
    code: handler(`  return context.step("local", async () => {
    let a = 0;
    a = 1;
    return a;
  });`),
  },
  {
    rule: "no-closure-in-durable-operations",
    test: "should not report if variable is declared in nested block within callback",
    kind: "valid",
    code: handler(`  return context.step("local", async () => {
    if (event.flag) {
      let a = 0;
      a++;
      return a;
    }
    return 0;
  });`),
  },
  {
    rule: "no-closure-in-durable-operations",
    test: "should detect mutation in runInChildContext callback",
    kind: "invalid",
    code: handler(`  let a = 0;
  await context.runInChildContext("child", async (child: any) => {
    a = 1;
  });
  return a;`),
  },
  {
    rule: "no-closure-in-durable-operations",
    test: "should detect mutation in waitForCondition callback",
    kind: "invalid",
    code: handler(`  let checks = 0;
  await context.waitForCondition("ready", async (state: number) => {
    checks++;
    return state + 1;
  }, { initialState: 0, waitStrategy: (state: number) => ({ shouldContinue: state < 3, delay: { seconds: 1 } }) });
  return checks;`),
  },
  {
    rule: "no-closure-in-durable-operations",
    test: "should detect mutation in waitForCallback callback",
    kind: "invalid",
    code: handler(`  let sent = 0;
  await context.waitForCallback("approval", async (callbackId: string) => {
    sent++;
  });
  return sent;`),
  },
  overload("should detect mutation when function is 1st parameter (no name)", "", ""),
  overload("should detect mutation when function is 2nd parameter (with name)", '"stepName", ', ""),
  overload("should detect mutation when function is 2nd parameter with config as 3rd", '"stepName", ', ", { retryStrategy: () => ({ shouldRetry: false }) }"),
];
