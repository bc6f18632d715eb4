/**
 * A fan-out with context.map: one step per image, at most two at a time, then one summary.
 * Each item's step is checkpointed on its own: after a crash, finished images are not
 * processed again.
 *
 *   npx replayable run examples/run/image-fan-out.ts --input '{"images":["cat.jpg","dog.jpg","owl.jpg","fox.jpg"]}'
 */
import { createHash } from "node:crypto";
import { withDurableExecution, type DurableContext } from "replayable";

interface Batch {
  images?: string[];
}

/** A stand-in for real work (resizing an image): takes a moment, returns a thumbnail's name and size. */
async function makeThumbnail(image: string): Promise<{ thumbnail: string; bytes: number }> {
  const digest = createHash("sha256").update(image).digest();
  await new Promise((resolve) => setTimeout(resolve, 150 + (digest[0]! % 150)));
  return { thumbnail: image.replace(/\.\w+$/, ".thumb.webp"), bytes: 2_000 + digest.readUInt16BE(1) };
}

export const imageFanOut = withDurableExecution(async (batch: Batch, context: DurableContext) => {
  const images = batch.images ?? ["cat.jpg", "dog.jpg", "owl.jpg", "fox.jpg", "elk.jpg"];

  const results = await context.map(
    "thumbnails",
    images,
    // The item function is orchestration code (it replays); the step inside does the work.
    async (item, image) => item.step("resize", async () => makeThumbnail(image)),
    { maxConcurrency: 2, itemNamer: (image) => image },
  );
  results.throwIfError();
  const thumbnails = results.getResults();

  const totalBytes = await context.step("summary", async () => thumbnails.reduce((sum, t) => sum + t.bytes, 0));
  return { count: thumbnails.length, totalBytes, thumbnails: thumbnails.map((t) => t.thumbnail) };
});
