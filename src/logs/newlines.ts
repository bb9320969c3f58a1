/**
 * Finds the newline bytes of a buffer: a 16-bytes-at-a-time WebAssembly SIMD loop (i8x16.eq +
 * bitmask + ctz), assembled here from its opcodes (no build step, no dependency), with a
 * `Buffer.indexOf` fallback where WebAssembly SIMD is not available. This is the hot loop of the
 * log scanner: calling `indexOf` once per line costs more than everything else together.
 */

/** Bytes of the slice copied into WebAssembly memory per call. */
const SLICE = 1 << 20;
const OUT = SLICE;
const PAGES = Math.ceil((SLICE + SLICE * 4 + 64) / 65536);

/** Signed LEB128 (valid for the unsigned values used here too, all below 2^31). */
function leb(n: number): number[] {
  const out: number[] = [];
  let v = n;
  let more = true;
  while (more) {
    let byte = v & 0x7f;
    v >>= 7;
    more = !((v === 0 && !(byte & 0x40)) || (v === -1 && byte & 0x40));
    if (more) byte |= 0x80;
    out.push(byte);
  }
  return out;
}

const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
const name = (s: string) => [s.length, ...Buffer.from(s)];

/**
 * (func (param $len i32) (param $base i32) (result i32)) over memory[0, len): writes base + offset of
 * every "\n" as i32 at OUT, returns how many.
 */
function assemble(): Uint8Array {
  const [len, base, p, o, mask, end16] = [0, 1, 2, 3, 4, 5];
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const c = (n: number) => [0x41, ...leb(n)];
  const code = [
    ...c(OUT),
    ...set(o),
    ...get(len),
    ...c(-16),
    0x71,
    ...set(end16),
    0x02,
    0x40,
    0x03,
    0x40, // block loop
    ...get(p),
    ...get(end16),
    0x4f,
    0x0d,
    1, // p >= end16 → exit
    ...get(p),
    0xfd,
    0x00,
    0x00,
    0x00, // v128.load align=0 offset=0
    ...c(10),
    0xfd,
    0x0f, // i8x16.splat
    0xfd,
    0x23, // i8x16.eq
    0xfd,
    0x64, // i8x16.bitmask
    ...set(mask),
    0x02,
    0x40,
    0x03,
    0x40, // block loop (bits)
    ...get(mask),
    0x45,
    0x0d,
    1, // mask == 0 → exit
    ...get(o),
    ...get(p),
    ...get(mask),
    0x68,
    0x6a,
    ...get(base),
    0x6a,
    0x36,
    0x02,
    0x00, // store base + p + ctz(mask)
    ...get(o),
    ...c(4),
    0x6a,
    ...set(o),
    ...get(mask),
    ...get(mask),
    ...c(1),
    0x6b,
    0x71,
    ...set(mask),
    0x0c,
    0,
    0x0b,
    0x0b, // br loop; end loop; end block
    ...get(p),
    ...c(16),
    0x6a,
    ...set(p),
    0x0c,
    0,
    0x0b,
    0x0b,
    0x02,
    0x40,
    0x03,
    0x40, // scalar tail
    ...get(p),
    ...get(len),
    0x4f,
    0x0d,
    1,
    ...get(p),
    0x2d,
    0x00,
    0x00,
    ...c(10),
    0x46,
    0x04,
    0x40,
    ...get(o),
    ...get(p),
    ...get(base),
    0x6a,
    0x36,
    0x02,
    0x00,
    ...get(o),
    ...c(4),
    0x6a,
    ...set(o),
    0x0b,
    ...get(p),
    ...c(1),
    0x6a,
    ...set(p),
    0x0c,
    0,
    0x0b,
    0x0b,
    ...get(o),
    ...c(OUT),
    0x6b,
    ...c(2),
    0x76,
    0x0b,
  ];
  const body = [1, 4, 0x7f, ...code];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, ...leb(PAGES)]),
    ...section(7, [2, ...name('mem'), 0x02, 0, ...name('nl'), 0x00, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

export type NewlineFinder = (buf: Uint8Array, start: number, end: number, out: Int32Array, at: number) => number;

/** The part of the WebAssembly JS API used here (the project's `lib` setting has no DOM/WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

function createWasmFinder(): NewlineFinder | null {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) return null;
  try {
    const instance = new api.Instance(new api.Module(assemble()));
    const memory = instance.exports.mem as { buffer: ArrayBuffer };
    const nl = instance.exports.nl as (len: number, base: number) => number;
    const bytes = new Uint8Array(memory.buffer);
    const positions = new Int32Array(memory.buffer, OUT);
    return (buf, start, end, out, at) => {
      let n = at;
      for (let s = start; s < end; s += SLICE) {
        const e = Math.min(end, s + SLICE);
        bytes.set(buf.subarray(s, e), 0);
        const found = nl(e - s, s);
        out.set(positions.subarray(0, found), n);
        n += found;
      }
      return n - at;
    };
  } catch {
    return null;
  }
}

function indexOfFinder(buf: Uint8Array, start: number, end: number, out: Int32Array, at: number): number {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let n = at;
  for (let q = b.indexOf(10, start); q !== -1 && q < end; q = b.indexOf(10, q + 1)) out[n++] = q;
  return n - at;
}

const wasm = createWasmFinder();

/**
 * Writes the offsets of the newlines of `buf[start, end)` into `out` from index `at`; returns how
 * many. `out` must have room for `end - start` more entries.
 */
export const findNewlines: NewlineFinder = wasm ?? indexOfFinder;
export const newlineFinderKind: 'wasm-simd' | 'indexOf' = wasm ? 'wasm-simd' : 'indexOf';
export { indexOfFinder };
