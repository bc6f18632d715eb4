// Opens each store file given at its own moment (ms since epoch), so several of these
// processes create the same new files at once; prints one line per file: ok or the error.
import { SqliteStore } from "../../../engine/index.js";

const [startAt, ...paths] = process.argv.slice(2);
for (const [index, path] of paths.entries()) {
  const at = Number(startAt) + index * 150;
  while (Date.now() < at) await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(5, at - Date.now()))));
  try {
    await SqliteStore.open(path).close();
    console.log(`ok ${index}`);
  } catch (error) {
    console.log(`error ${index}: ${(error as Error).message}`);
  }
}
