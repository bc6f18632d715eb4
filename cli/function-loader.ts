import path from "node:path";
import { CliError } from "./exit-codes.js";
import { displayFunction, functionNameOf, functionRefOf } from "./function-ref.js";
import { engineFunction, loadHandlerFile } from "./load-handlers.js";

/**
 * How `replayable resume` finds the code of the executions in a store: `replayable run`
 * records each execution's function as the handler file (relative to the working directory),
 * its export and the SDK it runs on, so the engine's resolveFunction asks this loader for a
 * function the first time one of its executions is due, and the loader imports that file
 * (compiling TypeScript on the way) and takes the export. Each function is loaded once (two
 * executions due at once share the import); one that cannot be loaded is reported once, with
 * the reason, and resolves to undefined, so the engine hands its executions back untouched.
 */
export class FunctionLoader {
  private readonly loading = new Map<string, Promise<unknown>>();
  /** Function name -> why it cannot run here. */
  readonly problems = new Map<string, string>();

  constructor(
    private readonly cwd: string,
    /** Told once per function that cannot be loaded. */
    private readonly onProblem: (functionName: string, problem: string) => void | Promise<void> = () => undefined,
  ) {}

  /** The engine's resolveFunction: the function to register, or undefined when it cannot run here. */
  resolve(name: string): Promise<unknown> {
    let pending = this.loading.get(name);
    if (!pending) {
      pending = this.load(name).then(
        (fn) => fn,
        async (error: unknown) => {
          const problem = error instanceof Error ? error.message : String(error);
          this.problems.set(name, problem);
          await this.onProblem(name, problem);
          return undefined;
        },
      );
      this.loading.set(name, pending);
    }
    return pending;
  }

  private async load(name: string): Promise<unknown> {
    const ref = functionRefOf(name);
    if (!ref) throw new Error(`"${name}" was not started by the replayable CLI (it names no handler file), so resume cannot find its code; run it with an engine that registers it (createEngine({ functions }))`);
    // A store file is input: the path it names must pass the rule \`run\` applied when it
    // recorded it (inside the working directory, a plain name), before anything is imported.
    try {
      functionNameOf(this.cwd, path.resolve(this.cwd, ref.file), ref.exportName, ref.sdk);
    } catch (error) {
      throw new Error(`${displayFunction(name)}: refused, nothing imported: ${(error as Error).message}`);
    }
    let file;
    try {
      file = await loadHandlerFile(this.cwd, ref.file, ref.sdk);
    } catch (error) {
      const reason = error instanceof CliError ? error.message : String(error);
      throw new Error(`${displayFunction(name)}: ${reason} Run resume in the directory \`replayable run\` was started in.`);
    }
    const found = file.handlers.find((h) => h.exportName === ref.exportName);
    if (!found) {
      const what = ref.sdk === "aws" ? "function" : "durable handler";
      throw new Error(`${displayFunction(name)}: ${ref.file} no longer exports a ${what} named ${ref.exportName} (its ${what}s: ${file.handlers.map((h) => h.exportName).join(", ") || "none"}).`);
    }
    return engineFunction(found, ref.sdk);
  }
}
