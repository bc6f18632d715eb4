import { relative } from "node:path";
import type { Template } from "../template.js";

/** A source file as the template's author would name it: relative to the template's folder. */
export const relativeToTemplate = (template: Template, file: string) => relative(template.dir, file) || file;
