// Serialization of operation results. Values are serialized when they are checkpointed,
// and the operation returns the deserialized copy, so the first run sees exactly what
// every replay will see.
import { SerdesFailedError } from "./errors.js";

export interface SerdesContext {
  entityId: string;
  durableExecutionArn: string;
}
export interface Serdes<T> {
  serialize: (value: T | undefined, context: SerdesContext) => Promise<string | undefined>;
  deserialize: (data: string | undefined, context: SerdesContext) => Promise<T | undefined>;
}
export type AnySerdes = Serdes<any>;
export type AnySerdesDeserializer = Pick<AnySerdes, "deserialize">;
export interface SerdesConfig {
  defaultSerdes?: AnySerdes;
  defaultCallbackDeserializer?: AnySerdesDeserializer;
}

/** Why a value would not survive JSON, or undefined when it does. */
export function describeUnserializable(value: unknown, path = "value", seen = new Set<object>()): string | undefined {
  switch (typeof value) {
    case "function":
      return `${path} is a function`;
    case "symbol":
      return `${path} is a symbol`;
    case "bigint":
      return `${path} is a BigInt`;
    case "object": {
      if (value === null) return undefined;
      if (seen.has(value)) return `${path} is a cycle back to an enclosing object`;
      if (typeof (value as { toJSON?: unknown }).toJSON === "function") return undefined; // Date and friends
      if (value instanceof Map || value instanceof Set) return `${path} is a ${value instanceof Map ? "Map" : "Set"} (JSON turns it into {})`;
      seen.add(value);
      const entries: [string, unknown][] = Array.isArray(value)
        ? value.map((v, i) => [`${path}[${i}]`, v])
        : Object.entries(value).map(([k, v]) => [`${path}.${k}`, v]);
      for (const [p, v] of entries) {
        // undefined object properties are dropped by JSON, as on AWS; undefined array slots become null.
        if (v === undefined && !Array.isArray(value)) continue;
        const problem = describeUnserializable(v, p, seen);
        if (problem) return problem;
      }
      seen.delete(value);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** JSON, refusing values JSON would silently change (functions, symbols, BigInt, cycles, Map, Set). */
export const defaultSerdes: Serdes<any> = {
  serialize: async (value) => {
    if (value === undefined) return undefined;
    const problem = describeUnserializable(value);
    if (problem) throw new SerdesFailedError(`${problem}; it cannot be checkpointed as JSON. Return plain data or pass a serdes.`);
    return JSON.stringify(value);
  },
  deserialize: async (data) => (data === undefined ? undefined : JSON.parse(data)),
};

/** Callback results arrive as the raw string the caller sent, as on AWS. */
export const passThroughDeserializer: AnySerdesDeserializer = {
  deserialize: async (data) => data,
};

export function createClassSerdes<T extends object>(cls: new () => T): Serdes<T> {
  return {
    serialize: async (value) => (value === undefined ? undefined : JSON.stringify(value)),
    deserialize: async (data) => (data === undefined ? undefined : Object.assign(new cls(), JSON.parse(data))),
  };
}

export function createClassSerdesWithDates<T extends object>(cls: new () => T, dateProps: string[]): Serdes<T> {
  return {
    serialize: async (value) => (value === undefined ? undefined : JSON.stringify(value)),
    deserialize: async (data) => {
      if (data === undefined) return undefined;
      const plain = JSON.parse(data) as Record<string, unknown>;
      for (const prop of dateProps) {
        const v = plain[prop];
        if (typeof v === "string" || typeof v === "number") plain[prop] = new Date(v);
      }
      return Object.assign(new cls(), plain);
    },
  };
}
