/**
 * The live timeline `replayable run` draws, in-process against a MemoryStore engine: on a
 * terminal (open rows and the progress line redrawn in place, the handler's output above
 * them) and on a pipe (appended lines only).
 */
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { follow } from "../../cli/follow.js";
import { createStyle } from "../../cli/style.js";
import { createEngine, MemoryStore, type Engine } from "../../engine/index.js";
import { withDurableExecution } from "../../runtime/index.js";

class FakeStream extends Writable {
  text = "";
  readonly snapshots: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns = 120,
  ) {
    super({ decodeStrings: false });
  }
  override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    this.snapshots.push(screen(this.text));
    done();
  }
}

/** What a terminal shows after `text`: handles newlines, "cursor up n lines" and "clear to the end". */
function screen(text: string): string {
  const lines: string[] = [""];
  let row = 0;
  // eslint-disable-next-line no-control-regex
  for (const token of text.split(/(\u001b\[\d*[FJ]|\n)/)) {
    if (token === "\n") {
      row += 1;
      if (lines.length <= row) lines.push("");
    } else if (/^\u001b\[\d*F$/.test(token)) {
      row = Math.max(0, row - Number(token.slice(2, -1) || 1));
    } else if (token === "\u001b[J") {
      lines.length = row + 1;
      lines[row] = "";
    } else if (token) {
      lines[row] += token;
    }
  }
  return lines.join("\n");
}

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

function start(out: FakeStream) {
  const handler = withDurableExecution(async (_input: unknown, context) => {
    await context.step("charge", async () => {
      out.write("charging the card\n");
      return 42;
    });
    await context.wait("settlement", { seconds: 1 });
    return context.step("receipt", async () => "sent");
  });
  engine = createEngine({ store: new MemoryStore(), functions: { payment: handler }, pollMs: 20 });
  return engine;
}

describe("follow", () => {
  it("on a terminal, redraws the open operations and the countdown in place, and leaves the finished timeline", async () => {
    const out = new FakeStream(true);
    const engine = start(out);
    await engine.start("payment", {}, { executionId: "p-1" });
    const ended = await follow({ engine, executionId: "p-1", out: out as unknown as NodeJS.WriteStream, interactive: true, style: createStyle(false), hints: { storeArgs: "" }, tickMs: 100 });
    expect(ended?.status).toBe("SUCCEEDED");

    expect(out.text).toContain("\u001b[3F\u001b[J"); // the open row, a blank line and the progress line, redrawn
    expect(out.snapshots.some((s) => /\n {2}… settlement +wait +STARTED +\d+ms… +inv 1 +until \d\d:\d\d:\d\d\n\nwaiting: wait 'settlement' ends in (1s|\d+ms)\n$/.test(s))).toBe(true);
    const final = screen(out.text).split("\n");
    expect(final.filter((line) => line.trim() !== "")).toEqual([
      expect.stringMatching(/^charging the card$/),
      expect.stringMatching(/^ {2}✓ charge +step +SUCCEEDED +\d+ms +attempt 1 +inv 1$/),
      expect.stringMatching(/^ {2}✓ settlement +wait +SUCCEEDED +\d+m?s +inv \d$/),
      expect.stringMatching(/^ {2}✓ receipt +step +SUCCEEDED +\d+ms +attempt 1 +inv 2$/),
      expect.stringMatching(/^✓ SUCCEEDED in \d+m?s \(2 invocations\)$/),
      'result: "sent"',
    ]);
  });

  it("on a pipe, appends each change once: no cursor movement, one progress line per thing waited for", async () => {
    const out = new FakeStream(false);
    const engine = start(out);
    await engine.start("payment", {}, { executionId: "p-2" });
    const ended = await follow({ engine, executionId: "p-2", out: out as unknown as NodeJS.WriteStream, interactive: false, style: createStyle(false), hints: { storeArgs: "" }, tickMs: 50 });
    expect(ended?.status).toBe("SUCCEEDED");
    expect(out.text).not.toContain("\u001b[");
    const lines = out.text.trimEnd().split("\n");
    expect(lines.filter((line) => line.startsWith("waiting:"))).toHaveLength(1);
    expect(lines.filter((line) => /✓ charge/.test(line))).toHaveLength(1);
    expect(lines.indexOf(lines.find((line) => line.startsWith("waiting:"))!)).toBeLessThan(lines.findIndex((line) => /✓ settlement/.test(line)));
    expect(lines.at(-1)).toBe('result: "sent"');
  });

  it("reads only the updates committed since its last read, and draws the same timeline", async () => {
    const out = new FakeStream(false);
    const engine = start(out);
    const reads: Array<number | undefined> = [];
    const history = engine.history.bind(engine);
    engine.history = (executionId, options = {}) => (reads.push(options.afterSequence), history(executionId, options));
    await engine.start("payment", {}, { executionId: "p-4" });
    const ended = await follow({ engine, executionId: "p-4", out: out as unknown as NodeJS.WriteStream, interactive: false, style: createStyle(false), hints: { storeArgs: "" }, tickMs: 50 });
    expect(ended?.status).toBe("SUCCEEDED");
    expect(reads[0]).toBe(0);
    expect(reads.length).toBeGreaterThan(2);
    // Each read starts after the last update the previous ones returned; the sequence only moves forward.
    expect(reads.every((after, index) => index === 0 || after! >= reads[index - 1]!)).toBe(true);
    expect(reads.at(-1)).toBeGreaterThan(0);
    const full = (await history("p-4")).at(-1)!.sequence;
    expect(reads.at(-1)).toBeLessThanOrEqual(full);
    expect(out.text).toMatch(/✓ receipt +step +SUCCEEDED .* inv 2\n/);
    expect(out.text.trimEnd().split("\n").at(-1)).toBe('result: "sent"');
  });

  it("stops when asked (Ctrl-C): prints what the execution waits for and resolves undefined", async () => {
    const out = new FakeStream(false);
    const engine = start(out);
    await engine.start("payment", {}, { executionId: "p-3" });
    const controller = new AbortController();
    const following = follow({ engine, executionId: "p-3", out: out as unknown as NodeJS.WriteStream, interactive: false, style: createStyle(false), hints: { storeArgs: "" }, signal: controller.signal, tickMs: 20 });
    while (!out.text.includes("waiting:")) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    expect(await following).toBeUndefined();
    expect(out.text.trimEnd().split("\n").at(-1)).toMatch(/^waiting: wait 'settlement' ends in/);
  });
});
