/**
 * Thumbnail fan-out, written against the AWS SDK through a namespace import.
 *
 * List the uploaded images, resize each one in `context.map` (one child context per
 * image), then publish through two `context.parallel` branches. Map item functions and
 * parallel branches are orchestration code too: they replay like the handler body, and
 * so do the helpers they call.
 */
import * as durable from "@aws/durable-execution-sdk-js";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { v4 as uuidv4 } from "uuid";

const s3 = new S3Client({});
const WIDTHS = [128, 512, 1024];

/** Spreads writes over key prefixes to avoid a hot S3 partition. */
function shardPrefix(): string {
  // MISTAKE, reached from the map item below: each replay picks another shard, so the
  // item writes its thumbnails under one key and reports another.
  return `shard-${Math.floor(Math.random() * 16)}`; // expect: no-nondeterminism-outside-step
}

async function resize(bucket: string, key: string, target: string, width: number): Promise<string> {
  const original = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = await sharp(await original.Body!.transformToByteArray()).resize({ width }).toBuffer();
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: target, Body: body }));
  return target;
}

export const generateThumbnails = durable.withDurableExecution(
  async (event: { bucket: string; prefix: string }, context: durable.DurableContext) => {
    const keys = await context.step("list-images", async () => {
      const listing = await s3.send(new ListObjectsV2Command({ Bucket: event.bucket, Prefix: event.prefix }));
      return (listing.Contents ?? []).map((object) => object.Key!).filter((key) => /\.(jpe?g|png)$/i.test(key));
    });

    const resized = await context.map(
      "resize-images",
      keys,
      async (item, key) => {
        // MISTAKE: timing in orchestration code measures replays, not work.
        const startedAt = performance.now(); // expect: no-nondeterminism-outside-step
        const base = `thumbnails/${shardPrefix()}/${key}`;
        const targets: string[] = [];
        for (const width of WIDTHS) {
          // RIGHT: each resize is its own step, recorded once.
          targets.push(await item.step(`w${width}`, async () => resize(event.bucket, key, `${base}@${width}`, width)));
        }
        item.logger.info("resized", { key, elapsedMs: performance.now() - startedAt }); // expect: no-nondeterminism-outside-step
        return targets;
      },
      { maxConcurrency: 8 },
    );

    const thumbnails = resized.getResults().flat();
    await context.parallel("publish", [
      {
        name: "write-manifest",
        func: async (branch) =>
          branch.step("manifest", async () => {
            const manifest = JSON.stringify({ generatedAt: new Date().toISOString(), thumbnails });
            await s3.send(new PutObjectCommand({ Bucket: event.bucket, Key: `${event.prefix}manifest.json`, Body: manifest }));
          }),
      },
      async (branch) => {
        // MISTAKE: a fresh id on every replay of this branch; the subscriber sees a new
        // notification each time the execution resumes.
        const notificationId = uuidv4(); // expect: no-nondeterminism-outside-step
        await branch.step("notify", async () => {
          await fetch("https://hooks.example.com/thumbnails", { method: "POST", body: JSON.stringify({ notificationId, count: thumbnails.length }) });
        });
      },
    ]);

    return { images: keys.length, thumbnails: thumbnails.length };
  },
);
