import type ts from "typescript";
import typescript from "../typescript.js";
import type { WalkResult } from "../walk-result.js";

// Bound once: the typescript module exposes its API as getters, which cost a lookup and a call on every use.
const { isFunctionLike, isIdentifier } = typescript;

/** The innermost durable context parameter visible at a node; a child context body hides its parent's. */
export function contextNameAt(node: ts.Node, walk: Pick<WalkResult, "resolution" | "childBodies">): string | undefined {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (isFunctionLike(current)) {
      const parameter = current.parameters.find((candidate) => walk.resolution.isContextParameter(candidate));
      if (parameter && isIdentifier(parameter.name)) return parameter.name.text;
      if (walk.childBodies.has(current)) return undefined;
    }
  }
  return undefined;
}
