import { RuleTester } from "@typescript-eslint/rule-tester";
import { afterAll, describe, it } from "vitest";

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** A RuleTester on typescript-eslint's parser, reporting through vitest. */
export function createRuleTester(): RuleTester {
  return new RuleTester();
}

/** Wraps a handler body in an AWS SDK handler. */
export function awsHandler(body: string, imports = ""): string {
  return `import { withDurableExecution } from "@aws/durable-execution-sdk-js";
${imports}
export const handler = withDurableExecution(async (event: any, context: any) => {
${body}
});`;
}

/** Wraps a handler body in a replayable handler. */
export function replayableHandler(body: string, imports = ""): string {
  return `import { withDurableExecution } from "replayable";
${imports}
export const handler = withDurableExecution(async (event: any, context: any) => {
${body}
});`;
}

/**
 * A RuleTester with type information. Each snippet is linted as `snippets/file.ts` under
 * `tsconfigRootDir`, a file that exists only in memory and joins typescript-eslint's default
 * project, so it resolves the same packages as the program there. The snippets folder keeps
 * the default-project glob away from the program's own files, which other tests lint with
 * the same (cached) project service.
 */
export function createTypedRuleTester(tsconfigRootDir: string): RuleTester {
  return new RuleTester({
    defaultFilenames: { ts: "snippets/file.ts", tsx: "snippets/react.tsx" },
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ["snippets/*.ts", "snippets/*.tsx"] }, tsconfigRootDir } },
  });
}
