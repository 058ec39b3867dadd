/**
 * A small QR code encoder (ISO/IEC 18004) for the TOTP enrolment page: byte mode, error
 * correction level M, versions 1–10 (up to 213 bytes — an otpauth:// URI is about 120), the
 * mask with the lowest penalty. Written here rather than installed: what we need is ~200 lines,
 * and it renders straight to SVG for a page that runs no script.
 */

/** GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1. */
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255] as number;
}

function gfMul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : (EXP[(LOG[a] as number) + (LOG[b] as number)] as number);
}

/** Reed–Solomon error-correction codewords of `data` (generator roots α^0 … α^(n-1)). */
export function reedSolomon(data: Uint8Array, n: number): Uint8Array {
  let gen = [1];
  for (let i = 0; i < n; i++) {
    const next = new Array<number>(gen.length + 1).fill(0);
    for (let j = 0; j < gen.length; j++) {
      next[j] = (next[j] as number) ^ (gen[j] as number);
      next[j + 1] = (next[j + 1] as number) ^ gfMul(gen[j] as number, EXP[i] as number);
    }
    gen = next;
  }
  const rem = new Uint8Array(n);
  for (const byte of data) {
    const factor = byte ^ (rem[0] as number);
    rem.copyWithin(0, 1);
    rem[n - 1] = 0;
    for (let j = 0; j < n; j++) rem[j] = (rem[j] as number) ^ gfMul(gen[j + 1] as number, factor);
  }
  return rem;
}

/** Level M per version: EC codewords per block and the data codewords of each block. */
const LEVEL_M: readonly { readonly ec: number; readonly blocks: readonly number[] }[] = [
  { ec: 10, blocks: [16] },
  { ec: 16, blocks: [28] },
  { ec: 26, blocks: [44] },
  { ec: 18, blocks: [32, 32] },
  { ec: 24, blocks: [43, 43] },
  { ec: 16, blocks: [27, 27, 27, 27] },
  { ec: 18, blocks: [31, 31, 31, 31] },
  { ec: 22, blocks: [38, 38, 39, 39] },
  { ec: 22, blocks: [36, 36, 36, 37, 37] },
  { ec: 26, blocks: [43, 43, 43, 43, 44] },
];

const ALIGNMENT: readonly (readonly number[])[] = [[], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]];

export const MAX_QR_BYTES = 213;

export class QrCode {
  /** `modules[y][x]`: true = dark. */
  readonly modules: boolean[][];
  private readonly reserved: boolean[][];
  readonly size: number;

  private constructor(
    readonly version: number,
    readonly mask: number,
    codewords: Uint8Array,
  ) {
    this.size = version * 4 + 17;
    this.modules = Array.from({ length: this.size }, () => new Array<boolean>(this.size).fill(false));
    this.reserved = Array.from({ length: this.size }, () => new Array<boolean>(this.size).fill(false));
    this.drawFunctionPatterns();
    this.placeData(codewords);
    this.applyMask(mask);
    this.drawFormat(mask);
  }

  /** Encodes `text` as UTF-8 in the smallest version that holds it, with the best mask. */
  static encode(text: string): QrCode {
    const bytes = new TextEncoder().encode(text);
    const version = LEVEL_M.findIndex((v, i) => v.blocks.reduce((a, b) => a + b, 0) * 8 >= 4 + (i + 1 < 10 ? 8 : 16) + bytes.length * 8) + 1;
    if (version === 0) throw new RangeError(`QR: ${bytes.length} bytes is more than ${MAX_QR_BYTES}`);
    const codewords = QrCode.codewords(version, bytes);
    let best: QrCode | undefined;
    let bestPenalty = Number.POSITIVE_INFINITY;
    for (let mask = 0; mask < 8; mask++) {
      const candidate = new QrCode(version, mask, codewords);
      const penalty = candidate.penalty();
      if (penalty < bestPenalty) [best, bestPenalty] = [candidate, penalty];
    }
    return best as QrCode;
  }

  /** Data bits → padded data codewords → blocks with EC → interleaved. */
  private static codewords(version: number, bytes: Uint8Array): Uint8Array {
    const spec = LEVEL_M[version - 1] as (typeof LEVEL_M)[number];
    const capacity = spec.blocks.reduce((a, b) => a + b, 0);
    const bits: number[] = [];
    const push = (value: number, length: number): void => {
      for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
    };
    push(0b0100, 4);
    push(bytes.length, version < 10 ? 8 : 16);
    for (const b of bytes) push(b, 8);
    push(0, Math.min(4, capacity * 8 - bits.length));
    while (bits.length % 8) bits.push(0);
    const data = new Uint8Array(capacity);
    for (let i = 0; i < bits.length / 8; i++) data[i] = bits.slice(i * 8, i * 8 + 8).reduce((a, b) => (a << 1) | b, 0);
    for (let i = bits.length / 8, pad = 0xec; i < capacity; i++, pad ^= 0xec ^ 0x11) data[i] = pad;
    const blocks: Uint8Array[] = [];
    const ecBlocks: Uint8Array[] = [];
    let offset = 0;
    for (const length of spec.blocks) {
      const block = data.subarray(offset, offset + length);
      blocks.push(block);
      ecBlocks.push(reedSolomon(block, spec.ec));
      offset += length;
    }
    const out: number[] = [];
    const longest = Math.max(...spec.blocks);
    for (let i = 0; i < longest; i++) for (const b of blocks) if (i < b.length) out.push(b[i] as number);
    for (let i = 0; i < spec.ec; i++) for (const e of ecBlocks) out.push(e[i] as number);
    return Uint8Array.from(out);
  }

  private set(x: number, y: number, dark: boolean): void {
    (this.modules[y] as boolean[])[x] = dark;
    (this.reserved[y] as boolean[])[x] = true;
  }

  private drawFunctionPatterns(): void {
    const n = this.size;
    for (let i = 0; i < n; i++) {
      this.set(6, i, i % 2 === 0);
      this.set(i, 6, i % 2 === 0);
    }
    for (const [cx, cy] of [[3, 3], [n - 4, 3], [3, n - 4]] as const) {
      // A finder pattern with its light separator: rings at Chebyshev distance 0–4 from the centre.
      for (let dy = -4; dy <= 4; dy++) {
        for (let dx = -4; dx <= 4; dx++) {
          const x = cx + dx;
          const y = cy + dy;
          if (x < 0 || y < 0 || x >= n || y >= n) continue;
          const d = Math.max(Math.abs(dx), Math.abs(dy));
          this.set(x, y, d !== 2 && d !== 4);
        }
      }
    }
    const centres = ALIGNMENT[this.version - 1] as readonly number[];
    const last = centres.length - 1;
    centres.forEach((cy, i) =>
      centres.forEach((cx, j) => {
        if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
        for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) this.set(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
      }),
    );
    this.drawFormat(0); // reserves the format areas; redrawn with the real mask at the end
    if (this.version >= 7) {
      let rem = this.version;
      for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
      const bits = (this.version << 12) | rem;
      for (let i = 0; i < 18; i++) {
        const dark = ((bits >>> i) & 1) === 1;
        const a = n - 11 + (i % 3);
        const b = Math.floor(i / 3);
        this.set(a, b, dark);
        this.set(b, a, dark);
      }
    }
  }

  /** The 15 format bits (level M = 00, the mask), BCH-protected, in both copies, and the dark module. */
  private drawFormat(mask: number): void {
    const data = (0b00 << 3) | mask;
    let rem = data;
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
    const bits = ((data << 10) | rem) ^ 0x5412;
    const bit = (i: number): boolean => ((bits >>> i) & 1) === 1;
    const n = this.size;
    for (let i = 0; i <= 5; i++) this.set(8, i, bit(i));
    this.set(8, 7, bit(6));
    this.set(8, 8, bit(7));
    this.set(7, 8, bit(8));
    for (let i = 9; i < 15; i++) this.set(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i++) this.set(n - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i++) this.set(8, n - 15 + i, bit(i));
    this.set(8, n - 8, true);
  }

  /** The zig-zag of two-module columns from the bottom right, skipping the timing column. */
  private placeData(codewords: Uint8Array): void {
    const n = this.size;
    let i = 0;
    for (let right = n - 1; right >= 1; right -= 2) {
      if (right === 6) right = 5;
      const upward = ((right + 1) & 2) === 0;
      for (let v = 0; v < n; v++) {
        const y = upward ? n - 1 - v : v;
        for (let j = 0; j < 2; j++) {
          const x = right - j;
          if ((this.reserved[y] as boolean[])[x]) continue;
          if (i < codewords.length * 8) (this.modules[y] as boolean[])[x] = (((codewords[i >>> 3] as number) >>> (7 - (i & 7))) & 1) === 1;
          i++;
        }
      }
    }
  }

  private applyMask(mask: number): void {
    const rule: (x: number, y: number) => boolean = [
      (x: number, y: number) => (x + y) % 2 === 0,
      (_x: number, y: number) => y % 2 === 0,
      (x: number) => x % 3 === 0,
      (x: number, y: number) => (x + y) % 3 === 0,
      (x: number, y: number) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
      (x: number, y: number) => ((x * y) % 2) + ((x * y) % 3) === 0,
      (x: number, y: number) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
      (x: number, y: number) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
    ][mask] as (x: number, y: number) => boolean;
    for (let y = 0; y < this.size; y++) {
      const row = this.modules[y] as boolean[];
      for (let x = 0; x < this.size; x++) if (!(this.reserved[y] as boolean[])[x] && rule(x, y)) row[x] = !row[x];
    }
  }

  /** The standard's penalty: long runs, 2×2 blocks, finder look-alikes, dark/light imbalance. */
  private penalty(): number {
    const n = this.size;
    const at = (x: number, y: number): boolean => (this.modules[y] as boolean[])[x] as boolean;
    let score = 0;
    let dark = 0;
    const finderLike = [true, false, true, true, true, false, true];
    for (let pass = 0; pass < 2; pass++) {
      for (let a = 0; a < n; a++) {
        const line = Array.from({ length: n }, (_, b) => (pass === 0 ? at(b, a) : at(a, b)));
        let run = 1;
        for (let b = 1; b <= n; b++) {
          if (b < n && line[b] === line[b - 1]) run++;
          else {
            if (run >= 5) score += 3 + run - 5;
            run = 1;
          }
        }
        for (let b = 0; b + 7 <= n; b++) {
          if (!finderLike.every((v, k) => line[b + k] === v)) continue;
          const lightBefore = b >= 4 && line.slice(b - 4, b).every((v) => !v);
          const lightAfter = b + 11 <= n && line.slice(b + 7, b + 11).every((v) => !v);
          if (lightBefore || lightAfter) score += 40;
        }
      }
    }
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        if (at(x, y)) dark++;
        if (x + 1 < n && y + 1 < n && at(x, y) === at(x + 1, y) && at(x, y) === at(x, y + 1) && at(x, y) === at(x + 1, y + 1)) score += 3;
      }
    }
    score += Math.floor(Math.abs((dark * 100) / (n * n) - 50) / 5) * 10;
    return score;
  }

  /** The code as an SVG: one path of unit squares, a 4-module quiet zone, crisp edges. */
  toSvg(label: string): string {
    const q = 4;
    const total = this.size + 2 * q;
    let path = '';
    for (let y = 0; y < this.size; y++) for (let x = 0; x < this.size; x++) if ((this.modules[y] as boolean[])[x]) path += `M${x + q} ${y + q}h1v1h-1z`;
    const escaped = label.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${total} ${total}" shape-rendering="crispEdges" role="img" aria-label="${escaped}"><rect width="${total}" height="${total}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
  }
}
