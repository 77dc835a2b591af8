/**
 * A prepared pool as an image of the module's memory. After its repositories are read and
 * `Pool.prepare()` ran, a pool is nothing but wasm memory: its strings, solvables, repodata and provider
 * index. The module has one mutable global, the stack pointer, which is back at its base between calls,
 * so writing the memory of one instance into a fresh instance of the same binary gives the same pool, at
 * the same addresses. An image keeps the non-zero 4 KiB pages only (BaseOS: 6.4 MB of 32 MB), and what
 * the facade needs to rebind its objects: the pool's and its repositories' addresses.
 *
 * Only this module and pool.ts read or write wasm memory for images; the caller keys and stores them.
 * @internal
 */
import { EngineError } from './errors.js';
import type { RawModule } from './module.js';

export const IMAGE_PAGE = 4096;
const MAGIC = 'RPIMG001';

export interface ImageMeta {
  /** glue version and sha256 of the libsolv.wasm that made the image: restored only into the same. */
  glue: number;
  module: string;
  arch: string;
  pool: number;
  repos: { name: string; ptr: number }[];
  /** Size of the memory the image was taken from, in bytes. */
  memory: number;
}

/** Encodes the non-zero pages of `heap` with `meta`. */
export function encodeImage(heap: Uint8Array, meta: Omit<ImageMeta, 'memory'>): Uint8Array {
  const words = new Uint32Array(heap.buffer, heap.byteOffset, heap.byteLength >>> 2);
  const perPage = IMAGE_PAGE >>> 2;
  const pages: number[] = [];
  for (let p = 0; p * perPage < words.length; p++) {
    const end = Math.min(words.length, (p + 1) * perPage);
    for (let i = p * perPage; i < end; i++) {
      if (words[i] !== 0) {
        pages.push(p);
        break;
      }
    }
  }
  const json = new TextEncoder().encode(JSON.stringify({ ...meta, memory: heap.byteLength }));
  const head = 8 + 4 + json.length + 4 + pages.length * 4;
  const out = new Uint8Array(head + pages.length * IMAGE_PAGE);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, json.length, true);
  out.set(json, 12);
  let at = 12 + json.length;
  view.setUint32(at, pages.length, true);
  at += 4;
  for (const p of pages) {
    view.setUint32(at, p, true);
    at += 4;
  }
  for (const p of pages) {
    out.set(heap.subarray(p * IMAGE_PAGE, (p + 1) * IMAGE_PAGE), at);
    at += IMAGE_PAGE;
  }
  return out;
}

export interface DecodedImage {
  meta: ImageMeta;
  pages: Uint32Array;
  /** The pages' bytes, in the order of `pages`. */
  data: Uint8Array;
}

const bad = (why: string) => new EngineError('input', `not a pool image: ${why}`);

/** Decodes and checks an image's structure (never trusting a length it gives). */
export function decodeImage(bytes: Uint8Array): DecodedImage {
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw bad('no header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(8, true);
  if (12 + jsonLength + 4 > bytes.length) throw bad('truncated header');
  let meta: ImageMeta;
  try {
    meta = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength))) as ImageMeta;
  } catch {
    throw bad('unreadable header');
  }
  const int = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;
  if (
    !meta ||
    !int(meta.glue) ||
    typeof meta.module !== 'string' ||
    typeof meta.arch !== 'string' ||
    !int(meta.pool) ||
    !int(meta.memory) ||
    meta.memory % IMAGE_PAGE !== 0 ||
    !Array.isArray(meta.repos) ||
    !meta.repos.every((r) => r && typeof r.name === 'string' && int(r.ptr))
  )
    throw bad('unexpected header');
  let at = 12 + jsonLength;
  const n = view.getUint32(at, true);
  at += 4;
  if (at + n * 4 + n * IMAGE_PAGE !== bytes.length) throw bad('its size does not match its page count');
  const pages = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const p = view.getUint32(at + i * 4, true);
    if ((p + 1) * IMAGE_PAGE > meta.memory || (i > 0 && p <= pages[i - 1]!)) throw bad('pages out of order');
    pages[i] = p;
  }
  at += n * 4;
  return { meta, pages, data: bytes.subarray(at) };
}

/**
 * Makes the module's memory the image's: grows it to at least the image's size (through malloc, so that
 * the emscripten runtime renews its views), zeroes every page the image does not hold (the allocator takes
 * fresh memory for zeroed), then writes the image's pages. Everything the module held before is gone.
 */
export function applyImage(m: RawModule, image: DecodedImage): void {
  // a block of the image's whole size: the heap cannot hold it without growing past that size
  if (m.HEAPU8.length < image.meta.memory && !m._malloc(image.meta.memory))
    throw new EngineError('abort', 'out of memory restoring a pool image');
  const heap = m.HEAPU8;
  // Zero what the image does not write. Writing all of a fresh engine's 32 MB would fault in every page
  // (28 ms for BaseOS, whose pool is 6.4 MB); reading them finds the few that are not zero already.
  const written = new Uint8Array(heap.length / IMAGE_PAGE);
  for (const p of image.pages) written[p] = 1;
  const words = new Int32Array(heap.buffer, heap.byteOffset, heap.length >>> 2);
  const perPage = IMAGE_PAGE >>> 2;
  for (let p = 0; p < written.length; p++) {
    if (written[p]) continue;
    for (let i = p * perPage, end = i + perPage; i < end; i++) {
      if (words[i] !== 0) {
        heap.fill(0, p * IMAGE_PAGE, (p + 1) * IMAGE_PAGE);
        break;
      }
    }
  }
  for (let i = 0; i < image.pages.length; i++) {
    heap.set(image.data.subarray(i * IMAGE_PAGE, (i + 1) * IMAGE_PAGE), image.pages[i]! * IMAGE_PAGE);
  }
}
