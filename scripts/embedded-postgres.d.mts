// Types for embedded-postgres.mjs, for the tests, the torture and conformance.

/** Starts a throwaway server; its URL, and how to stop it (the data directory goes with it). */
export declare function startEmbeddedPostgres(): Promise<{ url: string; stop: () => Promise<void> }>;

/** The same server in a child process (for a host whose exit code matters, e.g. vitest); stop ends it. */
export declare function startEmbeddedPostgresProcess(): Promise<{ url: string; stop: () => Promise<void> }>;
