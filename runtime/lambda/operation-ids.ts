// How replayable's keyed operation ids travel through Lambda. The journal keys an operation
// by `parent/name#occurrence`, which Lambda refuses as an operation Id (1-64 characters of
// letters, digits, - and _). On the wire each keyed id becomes a digest of itself; when the
// state comes back, each wire operation's keyed id is rebuilt from what the wire keeps (its
// parent, Name or SubType) and confirmed by its digest, so nothing is stored beside Lambda's
// own records and a wrong guess is impossible.
import { createHash } from "node:crypto";
import { operationKey } from "../operation-key.js";
import { OperationSubType, ReplayableSubType } from "../operation-model.js";
import type { WireOperation } from "./wire.js";

/** 128 bits of SHA-256 in base64url: 22 characters Lambda accepts as an operation Id. */
export function lambdaOperationId(keyedId: string): string {
  return createHash("sha256").update(keyedId).digest("base64url").slice(0, 22);
}

/** The default names of a map's items and a parallel's branches (durable-context.ts), under which FLAT items key their operations. */
const FLAT_ITEM_NAMES: Record<string, (index: number) => string> = {
  [OperationSubType.MAP]: (i) => `map-item-${i}`,
  [OperationSubType.PARALLEL]: (i) => `parallel-branch-${i}`,
};

/** The id a patch marker is recorded under (as context.patched() builds it). */
const patchKey = (prefix: string | undefined, name: string) => `${prefix === undefined ? "" : `${prefix}/`}patch:${encodeURIComponent(name)}`;

/**
 * The keyed id of every wire operation whose id can be rebuilt: the EXECUTION operation keeps
 * the service's id; the others are matched by digest against `parent/label#n`, trying the
 * next occurrence of their label first. An operation in a FLAT map item or parallel branch
 * (which has no record of its own: the operation's parent is the map or parallel) is matched
 * under the item's default name, `parent/map-item-<i>#0/label#n` or `parallel-branch-<i>`.
 * An operation that cannot be matched (one written by another runtime, or in a FLAT item
 * named with itemNamer or a named branch) keeps its wire id: the journal then sees it as an
 * operation the handler never reaches, a divergence.
 */
export function keyedIds(operations: readonly WireOperation[]): Map<string, string> {
  const byId = new Map(operations.map((op) => [op.Id, op]));
  const keyed = new Map<string, string>();
  const nextOccurrence = new Map<string, number>();
  const siblings = new Map<string | undefined, number>();
  for (const op of operations) siblings.set(op.ParentId, (siblings.get(op.ParentId) ?? 0) + 1);
  const resolving = new Set<string>();

  const resolve = (op: WireOperation): string | undefined => {
    if (keyed.has(op.Id)) return keyed.get(op.Id);
    if (op.Type === "EXECUTION") {
      keyed.set(op.Id, op.Id);
      return op.Id;
    }
    if (resolving.has(op.Id)) return undefined; // a cycle of parents: never written by a runtime
    resolving.add(op.Id);
    let prefix: string | undefined;
    if (op.ParentId !== undefined && op.ParentId !== null) {
      const parent = byId.get(op.ParentId);
      prefix = parent ? resolve(parent) : undefined;
      if (prefix === undefined) return undefined;
    }
    const found = match(op, prefix) ?? matchInFlatItem(op, prefix);
    if (found !== undefined) keyed.set(op.Id, found);
    return found;
  };

  /** The item whose operation was found last under each map or parallel: the next operation is most likely in it or the next one. */
  const lastItem = new Map<string, number>();
  const matchInFlatItem = (op: WireOperation, prefix: string | undefined): string | undefined => {
    const parent = op.ParentId === undefined || op.ParentId === null ? undefined : byId.get(op.ParentId);
    const itemName = parent?.Type === "CONTEXT" ? FLAT_ITEM_NAMES[parent.SubType ?? ""] : undefined;
    if (!itemName || !parent) return undefined;
    const items = (siblings.get(parent.Id) ?? 0) + 16;
    const last = lastItem.get(parent.Id) ?? 0;
    const order = [last, last + 1, ...Array.from({ length: items }, (_, i) => i).filter((i) => i !== last && i !== last + 1)];
    // First each item's expected occurrence only (one digest per item), then every occurrence.
    for (const expectedOnly of [true, false]) {
      for (const i of order) {
        const found = match(op, operationKey(prefix, itemName(i), 0), expectedOnly);
        if (found !== undefined) {
          lastItem.set(parent.Id, i);
          return found;
        }
      }
    }
    return undefined;
  };

  const match = (op: WireOperation, prefix: string | undefined, expectedOnly = false): string | undefined => {
    if (op.SubType === ReplayableSubType.PATCH && op.Name !== undefined) {
      const id = patchKey(prefix, op.Name);
      return lambdaOperationId(id) === op.Id ? id : undefined;
    }
    const label = op.Name ?? op.SubType ?? op.Type;
    const group = `${prefix ?? ""}\u0000${label}`;
    const expected = nextOccurrence.get(group) ?? 0;
    const limit = expected + (siblings.get(op.ParentId) ?? 0) + 16;
    const tries = (n: number) => lambdaOperationId(operationKey(prefix, label, n)) === op.Id;
    // The expected occurrence first (operations of a label are mostly recorded in call order), then the others.
    let found = tries(expected) ? expected : -1;
    for (let n = 0; found < 0 && !expectedOnly && n <= limit; n++) if (n !== expected && tries(n)) found = n;
    if (found < 0) return undefined;
    nextOccurrence.set(group, Math.max(expected, found + 1));
    return operationKey(prefix, label, found);
  };

  for (const op of operations) resolve(op);
  return keyed;
}
