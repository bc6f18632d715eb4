import { createDefaultLogger } from "./default-logger.js";
import type { DurableContextLogger, DurableLogData, DurableLogger, LoggerConfig } from "./types.js";

const levels = ["log", "info", "warn", "error", "debug"] as const;

/** Logger settings shared by every context of one invocation (configureLogger applies to all). */
export class LoggerSettings {
  /** Fields the default logger adds to every line: the instrumentation plugins' enrichLogContext. */
  enrich: (() => Record<string, unknown> | undefined) | undefined;
  target: DurableLogger = createDefaultLogger(() => this.enrich?.());
  modeAware = true;
  configure(config: LoggerConfig<DurableLogger>): void {
    if (config.customLogger) this.target = config.customLogger;
    if (config.modeAware !== undefined) this.modeAware = config.modeAware;
  }
  /**
   * A child context's settings, as the AWS SDK makes them: the logger in use now is inherited,
   * modeAware starts over (true). Configuring either context afterwards does not change the other.
   */
  forChild(): LoggerSettings {
    // Of the same class: a host's subclass (the test runner's silent replay check) stays in force.
    const child = new (this.constructor as new () => LoggerSettings)();
    child.target = this.target;
    return child;
  }
}

/**
 * The logger a context or step hands to user code. It is silent while the context is
 * replaying (so a replayed line is logged once, not once per invocation) unless
 * configureLogger({ modeAware: false }) asked for every line.
 */
export function createContextLogger<L extends DurableLogger>(
  settings: LoggerSettings,
  isReplaying: () => boolean,
  logData: () => DurableLogData,
): DurableContextLogger<L> {
  const logger: Record<string, unknown> = {};
  for (const level of levels) {
    logger[level] = (...params: unknown[]) => {
      if (settings.modeAware && isReplaying()) return;
      const target = settings.target;
      target.configureDurableLoggingContext?.({ getDurableLogData: logData });
      const write = target[level] as ((...p: unknown[]) => void) | undefined;
      write?.apply(target, params);
    };
  }
  return logger as DurableContextLogger<L>;
}
