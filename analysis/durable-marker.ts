/**
 * A file whose text names neither entry point (withDurableExecution, DurableContext) has no
 * durable handler: every host skips it on this test alone, before parsing or loading the
 * compiler. Its own module, so the Node hooks can test it without loading TypeScript.
 */
export const DURABLE_MARKER = /withDurableExecution|DurableContext/;
