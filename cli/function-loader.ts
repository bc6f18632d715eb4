import { durableHandlerOf } from "../runtime/with-durable-execution.js";
import { CliError } from "./exit-codes.js";
import { displayFunction, functionRefOf } from "./function-ref.js";
import { loadHandlerFile } from "./load-handlers.js";

/**
 * How `replayable resume` finds the code of the executions in a store: `replayable run`
 * records each execution's function as the handler file (relative to the working directory)
 * and its export, so resume imports that file (compiling TypeScript on the way) and takes the
 * export. Each function is loaded once; one that cannot be loaded is reported once, with the
 * reason, and its executions stay in the store untouched.
 */
export class FunctionLoader {
  private readonly loaded = new Map<string, unknown>();
  /** Function name -> why it cannot run here. */
  readonly problems = new Map<string, string>();

  constructor(private readonly cwd: string) {}

  /** Loads the functions not seen yet; returns the ones that loaded now, by function name. */
  async load(functionNames: Iterable<string>): Promise<Record<string, unknown>> {
    const added: Record<string, unknown> = {};
    for (const name of new Set(functionNames)) {
      if (this.loaded.has(name) || this.problems.has(name)) continue;
      try {
        const handler = await this.resolve(name);
        this.loaded.set(name, handler);
        added[name] = handler;
      } catch (error) {
        this.problems.set(name, error instanceof Error ? error.message : String(error));
      }
    }
    return added;
  }

  private async resolve(name: string): Promise<unknown> {
    const ref = functionRefOf(name);
    if (!ref) throw new Error(`"${name}" was not started by the replayable CLI (it names no handler file), so resume cannot find its code; run it with an engine that registers it (createEngine({ functions }))`);
    let file;
    try {
      file = await loadHandlerFile(this.cwd, ref.file);
    } catch (error) {
      const reason = error instanceof CliError ? error.message : String(error);
      throw new Error(`${displayFunction(name)}: ${reason} Run resume in the directory \`replayable run\` was started in.`);
    }
    const found = file.handlers.find((h) => h.exportName === ref.exportName);
    if (!found || !durableHandlerOf(found.handler)) {
      throw new Error(`${displayFunction(name)}: ${ref.file} no longer exports a durable handler named ${ref.exportName} (its handlers: ${file.handlers.map((h) => h.exportName).join(", ") || "none"}).`);
    }
    return found.handler;
  }
}
