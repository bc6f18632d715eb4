// Where AWS's examples are read from: ../shared/real-world/aws-examples beside the project, by
// its real path, since Vite names modules by theirs (a ../shared reached through a symbolic link
// must still be recognised, and test files keyed the same way).
import { realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = fileURLToPath(new URL("../../../", import.meta.url));

const folder = path.resolve(projectRoot, "../shared/real-world/aws-examples");

function realPath(at: string): string {
  try {
    return realpathSync(at);
  } catch {
    return at; // missing: aws-examples.test.ts fails naming it
  }
}

export const examplesRoot = realPath(folder);
