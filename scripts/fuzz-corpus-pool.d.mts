// Types for fuzz-corpus-pool.mjs, so test/reliability/corpus.test.ts type-checks under `npm test`.

export declare const REPO_ROOT: string;
export declare const CORPUS_EXTENSIONS: RegExp;

export interface CorpusEntry {
  readonly file: string;
  readonly bytes: number;
}

export interface Crash {
  readonly stage: string;
  readonly message: string;
  readonly stack?: string;
}

export interface FileResult {
  readonly file: string;
  readonly bytes?: number;
  readonly ms?: number;
  readonly limitMs?: number;
  readonly hang?: boolean;
  /** For a hang: the stage the check was in. */
  readonly stage?: string;
  readonly stageMs?: Readonly<Record<string, number>>;
  readonly harnessError?: string;
  readonly crashes?: readonly Crash[];
  readonly nonIdentical?: readonly unknown[];
  readonly parseRegressions?: readonly unknown[];
  readonly handlers?: number;
  readonly variantFunctions?: number;
  readonly variantHandlers?: number;
  readonly variantEdits?: number;
  readonly variantFindings?: number;
  readonly suggestionsChecked?: number;
}

export interface PoolSummary {
  files: number;
  crashes: number;
  hangs: number;
  nonIdentical: number;
  parseRegressions: number;
  harnessErrors: number;
  filesWithHandlers: number;
  variantHandlers: number;
  variantsRewritten: number;
  variantFindings: number;
  suggestionsChecked: number;
  problems: FileResult[];
}

export interface PoolOptions {
  jobs?: number;
  timeoutMs?: number;
  timeoutMsPerMb?: number;
  impl?: "dist" | "src";
  root?: string;
  variant?: boolean;
  eslint?: boolean;
  recycleAfter?: number;
  maxOldSpaceMb?: number;
  onProgress?: (progress: { done: number; total: number; summary: PoolSummary; result: FileResult }) => void;
  simulate?: Record<string, "hang" | "exit" | "throw">;
}

export declare function listCorpus(options?: { root?: string; directory?: string }): CorpusEntry[];
export declare function sample<T>(items: readonly T[], count: number, seed: number): T[];
export declare function runPool(files: readonly CorpusEntry[], options?: PoolOptions): Promise<{ summary: PoolSummary; results: FileResult[] }>;
export declare function describeProblem(result: FileResult): string;
