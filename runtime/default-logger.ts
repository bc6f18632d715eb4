import { Console } from "node:console";
import { formatWithOptions } from "node:util";
import type { DurableLogData, DurableLogger, DurableLoggingContext } from "./types.js";

type Level = "DEBUG" | "INFO" | "WARN" | "ERROR";
const PRIORITY: Record<Level, number> = { DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5 };

/** AWS_LAMBDA_LOG_LEVEL as Lambda's Node runtime reads it: DEBUG when missing or unknown. */
function minimumLevel(): Level {
  const set = process.env["AWS_LAMBDA_LOG_LEVEL"]?.toUpperCase();
  return set !== undefined && set in PRIORITY ? (set as Level) : "DEBUG";
}

/** An Error in a log field, as Lambda's runtime writes one: its type, message and stack lines. */
function errorFields(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return { errorType: value.constructor?.name ?? "UnknownError", errorMessage: value.message, stackTrace: value.stack?.split("\n"), ...value };
}

/** One JSON log line in the official SDK's shape (requestId, timestamp, level, executionArn, operation fields, message). */
export function formatLogLine(level: Level, data: DurableLogData, params: unknown[], extra?: Record<string, unknown>): string {
  const entry: Record<string, unknown> = { requestId: data.requestId, timestamp: new Date().toISOString(), level, executionArn: data.executionArn };
  if (data.tenantId != null) entry.tenantId = data.tenantId;
  if (data.operationId !== undefined) entry.operationId = data.operationId;
  if (data.operationName !== undefined) entry.operationName = data.operationName;
  if (data.attempt !== undefined) entry.attempt = data.attempt;
  if (extra) Object.assign(entry, extra);
  if (params.length === 1) {
    entry.message = params[0];
    try {
      return JSON.stringify(entry, errorFields);
    } catch {
      entry.message = formatWithOptions({ breakLength: Infinity }, params[0]);
      return JSON.stringify(entry);
    }
  }
  entry.message = formatWithOptions({ breakLength: Infinity }, ...params);
  const error = params.find((p): p is Error => p instanceof Error);
  if (error) Object.assign(entry, { errorType: error.constructor?.name ?? "UnknownError", errorMessage: error.message, stackTrace: error.stack?.split("\n") ?? [] });
  return JSON.stringify(entry);
}

/**
 * The logger a context uses unless configureLogger replaces it, as the official SDK's
 * default: JSON lines on stdout (debug, info) and stderr (warn, error), levels below
 * AWS_LAMBDA_LOG_LEVEL (read when the logger is made, once per invocation) dropped. `enrich`
 * adds fields to every line (the instrumentation plugins' enrichLogContext).
 */
export function createDefaultLogger(enrich?: () => Record<string, unknown> | undefined): DurableLogger {
  const out = new Console({ stdout: process.stdout, stderr: process.stderr });
  const minimum = PRIORITY[minimumLevel()];
  let context: DurableLoggingContext | undefined;
  const writer = (level: Level, write: (line: string) => void) =>
    PRIORITY[level] < minimum
      ? () => undefined
      : (...params: unknown[]) => {
          if (!context) throw new Error("The default logger was called before configureDurableLoggingContext; log through context.logger.");
          write(formatLogLine(level, context.getDurableLogData(), params[0] === undefined ? params.slice(1) : params, enrich?.()));
        };
  const logger: Required<DurableLogger> = {
    debug: writer("DEBUG", (line) => out.debug(line)),
    info: writer("INFO", (line) => out.info(line)),
    warn: writer("WARN", (line) => out.warn(line)),
    error: writer("ERROR", (line) => out.error(line)),
    log: (level, ...params) => (level in PRIORITY ? logger[level.toLowerCase() as "info"] : logger.info)(...params),
    configureDurableLoggingContext: (loggingContext) => {
      context = loggingContext;
    },
  };
  return logger;
}
