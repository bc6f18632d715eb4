// Types for engine-demo.mjs, so test/demo.test.ts type-checks under `npm test`.

export declare const PAYMENT_EXAMPLE: string;
export declare const DEMO_EXECUTION_ID: string;

export interface EngineDemoResult {
  /** The execution completed and the charge log holds exactly one charge. */
  readonly ok: boolean;
  /** The charge log's lines after the restart. */
  readonly charges: string[];
  /** Exit codes of the first run (137: SIGKILL) and the second. */
  readonly exitCodes: number[];
  readonly killedDuringWait: boolean;
  /** Every line shown, without color codes. */
  readonly output: string[];
}

export declare function runEngineDemo(options?: {
  bin?: string;
  cwd?: string;
  print?: (line: string) => void;
  color?: boolean;
  settlementSeconds?: number;
  timeoutMs?: number;
}): Promise<EngineDemoResult>;
