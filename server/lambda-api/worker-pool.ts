// Worker processes for one function version, as Lambda's execution environments: each runs
// one invocation at a time and is reused for the next (a warm start); more are started while
// every one is busy, up to `size`. A worker that dies mid-invocation fails that invocation
// (Lambda's Runtime.ExitError) and is replaced by the next invocation that needs one.
import { fork, type ChildProcess } from "node:child_process";
import type { FromWorker, InvocationContextFields, ToWorker } from "./worker-messages.js";

export interface WorkerCommand {
  /** The worker's entry module and its arguments. */
  module: string;
  args: string[];
  execArgv?: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The worker's stdout and stderr: the server's own (default), or dropped. */
  output?: "inherit" | "ignore";
}

/** An invocation that failed in the function's process, not in the durable execution: Lambda invokes again (unless `retryInvocation` is false: the execution fails). */
export class InvocationError extends Error {
  constructor(
    name: string,
    message: string,
    readonly retryInvocation = true,
  ) {
    super(message);
    this.name = name;
  }
}

/** The name of the error of a handler that failed to load (Lambda's init phase), as Lambda's Node.js runtime names it. */
export const IMPORT_MODULE_ERROR = "Runtime.ImportModuleError";

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
  busy: boolean;
  pending?: { id: number; resolve: (output: unknown) => void; reject: (error: Error) => void } | undefined;
}

export class WorkerPool {
  private readonly workers = new Set<Worker>();
  private readonly queue: Array<() => void> = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly command: WorkerCommand,
    private readonly size: number,
    private readonly describe: string,
  ) {}

  async invoke(event: unknown, context: InvocationContextFields): Promise<unknown> {
    const worker = await this.acquire();
    try {
      await worker.ready;
      return await new Promise<unknown>((resolve, reject) => {
        const id = ++this.nextId;
        worker.pending = { id, resolve, reject };
        worker.child.send({ type: "invoke", id, event, context } satisfies ToWorker);
      });
    } finally {
      worker.pending = undefined;
      worker.busy = false;
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) this.workers.delete(worker);
      this.queue.shift()?.();
    }
  }

  /** Stops every worker (an invocation in progress fails as a crashed one would). */
  close(): void {
    this.closed = true;
    for (const worker of this.workers) worker.child.kill("SIGKILL");
    this.workers.clear();
  }

  private async acquire(): Promise<Worker> {
    for (;;) {
      if (this.closed) throw new InvocationError("ServiceException", "replayable serve is stopping");
      const idle = [...this.workers].find((w) => !w.busy);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (this.workers.size < this.size) {
        const worker = this.start();
        worker.busy = true;
        return worker;
      }
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
  }

  private start(): Worker {
    const { module, args, execArgv, env, cwd, output = "inherit" } = this.command;
    const child = fork(module, args, { cwd, env, execArgv: execArgv ?? [], stdio: ["ignore", output, output, "ipc"] });
    const worker: Worker = { child, busy: false, ready: Promise.resolve() };
    worker.ready = new Promise<void>((resolve, reject) => {
      child.on("message", (message: FromWorker) => {
        if (message.type === "ready") resolve();
        else if (message.type === "load-failed") reject(new InvocationError(IMPORT_MODULE_ERROR, `${this.describe}: ${message.message}`));
        else if (worker.pending?.id === message.id) {
          if (message.type === "result") worker.pending.resolve(message.output);
          else worker.pending.reject(new InvocationError(message.error.errorType, message.error.errorMessage));
        }
      });
      child.on("exit", (code, signal) => {
        this.workers.delete(worker);
        const error = new InvocationError("Runtime.ExitError", `${this.describe}: the worker process exited (${signal ?? `code ${code}`}) during the invocation.`);
        reject(error);
        worker.pending?.reject(error);
      });
    });
    worker.ready.catch(() => undefined);
    this.workers.add(worker);
    return worker;
  }
}
