// The simulator's PRNG: sfc32 seeded through murmur3's finaliser; Box-Muller normals.
// Every random stream is keyed by (seed, stream, …) so phases can be replayed independently.

export const STREAM_CHAIN = 1;
export const STREAM_TOPO = 2;
export const STREAM_RUN = 3;
export const STREAM_NODE = 4;
export const STREAM_RES = 5;
export const STREAM_SLOT = 6;
export const STREAM_EDGE = 7;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number, ...keys: number[]) {
    let h = fmix((seed >>> 0) ^ 0x9e3779b9);
    h = fmix(h ^ Math.floor(seed / 4294967296));
    for (const k of keys) h = fmix(Math.imul(h, 31) ^ (k >>> 0));
    this.a = h;
    this.b = fmix(h ^ 0x243f6a88);
    this.c = fmix(h ^ 0xb7e15162);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  float(): number {
    return this.u32() / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = this.float();
    while (u === 0) u = this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median; integer microseconds when used for delays. */
  logn(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  hex(words: number): string {
    let s = '';
    for (let i = 0; i < words; i++) s += this.u32().toString(16).padStart(8, '0');
    return s;
  }
}
