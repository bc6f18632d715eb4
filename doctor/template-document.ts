import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";

/** 1-based, as editors and SARIF count. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * A parsed template: plain values (intrinsic tags turned into their JSON form, so `!Ref X`
 * reads as `{ Ref: "X" }`) that remember where each object and each key was written.
 */
export interface TemplateDocument {
  readonly file: string;
  readonly root: unknown;
  /** Where an object or array was written, or where one of its keys (or array index) was. */
  positionOf(value: object, key?: string | number): Position | undefined;
}

interface Located {
  readonly at: Position;
  readonly keys: Map<string, Position>;
}

export class TemplateSyntaxError extends Error {
  override name = "TemplateSyntaxError";
}

/** Reads YAML (with CloudFormation's short-form tags) or JSON, which is YAML too, keeping positions. */
export function parseTemplateText(file: string, text: string): TemplateDocument {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, strict: false });
  const error = document.errors[0];
  if (error) {
    const at = lines.linePos(error.pos[0]);
    throw new TemplateSyntaxError(`${file}:${at.line}:${at.col}: ${error.message.split("\n")[0]}`);
  }
  const located = new WeakMap<object, Located>();
  const position = (offset: number | undefined): Position => {
    const at = lines.linePos(offset ?? 0);
    return { line: at.line, column: at.col };
  };
  const convert = (node: unknown, depth: number): unknown => {
    if (depth > 200) throw new TemplateSyntaxError(`${file}: nested more than 200 levels deep`);
    if (isAlias(node)) return convert(node.resolve(document as Document), depth + 1);
    let value: unknown;
    if (isMap(node)) {
      const object: Record<string, unknown> = {};
      const keys = new Map<string, Position>();
      for (const pair of node.items) {
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
        object[key] = convert(pair.value, depth + 1);
        keys.set(key, position(isScalar(pair.key) ? pair.key.range?.[0] : (pair.value as Node | null)?.range?.[0]));
      }
      located.set(object, { at: position(node.range?.[0]), keys });
      value = object;
    } else if (isSeq(node)) {
      const keys = new Map<string, Position>();
      const array = node.items.map((item, index) => {
        keys.set(String(index), position((item as Node | null)?.range?.[0]));
        return convert(item, depth + 1);
      });
      located.set(array, { at: position(node.range?.[0]), keys });
      value = array;
    } else if (isScalar(node)) {
      value = node.value;
    } else {
      value = null;
    }
    const tag = (node as { tag?: string } | null)?.tag;
    if (!tag || !tag.startsWith("!")) return value;
    const wrapped = intrinsicOf(tag.slice(1), value);
    located.set(wrapped, { at: position((node as Node).range?.[0]), keys: new Map() });
    return wrapped;
  };
  const root = convert(document.contents, 0);
  return {
    file,
    root,
    positionOf(value, key) {
      const entry = located.get(value);
      if (!entry) return undefined;
      return key === undefined ? entry.at : (entry.keys.get(String(key)) ?? entry.at);
    },
  };
}

/** `!Ref X` is `{ Ref: X }`, `!GetAtt A.B` is `{ "Fn::GetAtt": [A, B] }`, `!Sub s` is `{ "Fn::Sub": s }`, and so on. */
function intrinsicOf(name: string, value: unknown): Record<string, unknown> {
  if (name === "Ref" || name === "Condition") return { [name]: value };
  if (name === "GetAtt" && typeof value === "string") {
    const dot = value.indexOf(".");
    return { "Fn::GetAtt": dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}
