// Types for embedded-postgres.mjs, for the tests, the torture and conformance.

/** Starts a throwaway server; its URL, and how to stop it (the data directory goes with it). */
export declare function startEmbeddedPostgres(): Promise<{ url: string; stop: () => Promise<void> }>;
