import { dirname } from "node:path";
import type { Position, TemplateDocument } from "./template-document.js";

export interface Resource {
  readonly id: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

/** A SAM or CloudFormation template (CDK output is CloudFormation JSON). */
export interface Template {
  readonly document: TemplateDocument;
  readonly file: string;
  readonly dir: string;
  readonly resources: ReadonlyMap<string, Resource>;
  /** SAM's Globals.Function: properties every AWS::Serverless::Function inherits. */
  readonly functionGlobals: Record<string, unknown>;
  /** Where a resource's logical id is written. */
  positionOfResource(id: string): Position;
  /** Where a key of an object of this template is written (the object itself without a key). */
  positionOf(holder: object, key?: string | number): Position;
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Undefined when the document is not a template (no Resources map of typed resources). */
export function templateOf(document: TemplateDocument): Template | undefined {
  const root = document.root;
  if (!isRecord(root) || !isRecord(root.Resources)) return undefined;
  const entries = Object.entries(root.Resources);
  const typed = entries.filter(([, value]) => isRecord(value) && typeof value.Type === "string");
  if (typed.length === 0 || (typed.length < entries.length && !("AWSTemplateFormatVersion" in root) && !("Transform" in root))) return undefined;
  const resources = new Map<string, Resource>();
  for (const [id, value] of typed) {
    const resource = value as Record<string, unknown>;
    resources.set(id, {
      id,
      type: resource.Type as string,
      properties: isRecord(resource.Properties) ? resource.Properties : {},
      metadata: isRecord(resource.Metadata) ? resource.Metadata : {},
    });
  }
  const globals = isRecord(root.Globals) && isRecord(root.Globals.Function) ? root.Globals.Function : {};
  const start = { line: 1, column: 1 };
  return {
    document,
    file: document.file,
    dir: dirname(document.file),
    resources,
    functionGlobals: globals,
    positionOfResource: (id) => document.positionOf(root.Resources as object, id) ?? start,
    positionOf: (holder, key) => document.positionOf(holder, key) ?? start,
  };
}
