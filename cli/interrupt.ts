/**
 * Ctrl-C (SIGINT) or SIGTERM while a command works: the first asks it to stop cleanly (the
 * engine finishes the invocation it runs and commits); a second one exits at once. Nothing
 * is lost either way: what was committed is in the store, and an invocation cut short is
 * replayed by the next worker.
 */
export function interruptSignal(onFirst?: (signal: NodeJS.Signals) => void): { signal: AbortSignal; received: () => NodeJS.Signals | undefined; dispose: () => void } {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (received) process.exit(130);
    received = signal;
    onFirst?.(signal);
    controller.abort();
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
