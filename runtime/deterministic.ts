// Deterministic randomness for orchestration code: a seeded generator per context,
// advanced in call order, so every replay yields the same values without recording them.

/** 128-bit string hash (cyrb128) used as the generator seed. */
function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

/** sfc32: small, fast, good enough for ids and jitter; not for cryptography. */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: string) {
    [this.a, this.b, this.c, this.d] = hash128(seed);
  }
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  uuid(): string {
    const bytes = Array.from({ length: 16 }, () => Math.floor(this.next() * 256));
    bytes[6] = (bytes[6]! & 0x0f) | 0x40;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

export interface DeterministicHelpers {
  random(): number;
  uuid(): string;
}

interface ContextLike {
  executionContext: { readonly durableExecutionArn: string };
  random?: () => number;
  uuid?: () => string;
}

const generators = new WeakMap<object, SeededRandom>();

/**
 * random() and uuid() for any durable context, including one from @aws/durable-execution-sdk-js.
 * On a replayable context it uses the context's own generator. On an AWS context it seeds
 * from durableExecutionArn and the context's step prefix (the SDK's position of a child
 * context, empty at the root), and advances in call order within that context object.
 */
export function deterministic(context: ContextLike): DeterministicHelpers {
  if (typeof context.random === "function" && typeof context.uuid === "function") {
    return { random: context.random.bind(context), uuid: context.uuid.bind(context) };
  }
  let generator = generators.get(context);
  if (!generator) {
    const arn = context.executionContext.durableExecutionArn;
    // The AWS context keeps its position in a private field; read it defensively.
    const prefix = (context as { _stepPrefix?: unknown })._stepPrefix;
    generator = new SeededRandom(`${arn}\u0000${typeof prefix === "string" ? prefix : ""}`);
    generators.set(context, generator);
  }
  const g = generator;
  return { random: () => g.next(), uuid: () => g.uuid() };
}
