import ts from "typescript";
import type { WalkResult } from "../walk-result.js";

/** The innermost durable context parameter visible at a node; a child context body hides its parent's. */
export function contextNameAt(node: ts.Node, walk: Pick<WalkResult, "resolution" | "childBodies">): string | undefined {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (ts.isFunctionLike(current)) {
      const parameter = current.parameters.find((candidate) => walk.resolution.isContextParameter(candidate));
      if (parameter && ts.isIdentifier(parameter.name)) return parameter.name.text;
      if (walk.childBodies.has(current)) return undefined;
    }
  }
  return undefined;
}
