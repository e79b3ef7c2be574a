// The HNSW graph of a generation is a base file (hnswlib's own format, hnsw.bin) plus an operation log (hnsw.log):
// the markDelete / addPoint calls applied to the base since it was written, in order. A re-index that patches the
// graph links the previous base and appends its operations to the log instead of writing the whole graph again.
//
// hnsw.log, little-endian:
//   header  8 bytes "hnswlog1", uint32 dimension, uint32 operation count
//   each operation: uint8 kind (1 = markDelete, 2 = addPoint), uint32 label, and for addPoint `dimension` float32s
//
// Replaying is deterministic: hnswlib's loader rebuilds its set of deleted elements in id order and seeds its level
// generator the same way every time, so base + the same operations in the same order give the same graph (same
// internal ids, links and levels) in every process. The indexer applies its own operations with `applyGraphOperations`
// to a graph that was itself loaded from base + log, so the graph it serves equals the one a fresh load builds.
import type { HierarchicalNSW as HnswIndex } from 'hnswlib-node';
import type { Pacer } from '../../core/pacer.js';

export const GRAPH_LOG_MAGIC = 'hnswlog1';
const HEADER_BYTES = 16;
const KIND_DELETE = 1;
const KIND_ADD = 2;

/** When a re-index extends the log rather than writing the graph whole. */
export interface GraphLogPolicy {
  /** Below this base size writing the graph whole is cheap, and the fallback generation keeps a graph of its own. */
  minBaseBytes: number;
  /** Compaction point: a log whose addPoints exceed this share of the graph's elements is folded into a new base. */
  maxAddedShare: number;
}

/**
 * Measured at 100k elements (dimension 100, M 16, efConstruction 200; docs/benchmarks.md): a replayed addPoint costs
 * about 1 ms, and every load and every re-index replays the whole log, while writing the graph whole (writeIndex,
 * hash, fsync) costs 60-190 ms. With k additions per re-index, a log of up to L additions costs L/2 ms of replay on
 * average and a compaction every L/k runs: the sum is least near L = sqrt(2 · 190 · k), 20-60 additions for the
 * usual one-document change (k = 1-10). 0.05 % of the elements (49 at 100k, ~50 ms of replay at most; ~490 at 1M,
 * where the graph takes seconds to write) is that order at both sizes.
 */
export const GRAPH_LOG_POLICY: GraphLogPolicy = { minBaseBytes: 4 << 20, maxAddedShare: 0.0005 };

export type GraphOperation = { kind: 'delete'; label: number } | { kind: 'add'; label: number; vector: Float32Array };

/** The operations of a log without its header, as they are carried from one generation to the next. */
export interface GraphLogBody {
  /** Encoded operations (header excluded). */
  bytes: Uint8Array;
  operations: number;
  /** How many of them are addPoint: what replaying costs (about 1 ms each at 100k elements). */
  added: number;
}

export const EMPTY_GRAPH_LOG: GraphLogBody = { bytes: new Uint8Array(0), operations: 0, added: 0 };

/** Encodes `operations` after `previous` (their order is kept). */
export function appendGraphOperations(previous: GraphLogBody, operations: readonly GraphOperation[], dimension: number): GraphLogBody {
  let size = 0;
  for (const op of operations) size += 5 + (op.kind === 'add' ? dimension * 4 : 0);
  const bytes = Buffer.allocUnsafe(previous.bytes.byteLength + size);
  bytes.set(previous.bytes, 0);
  let offset = previous.bytes.byteLength;
  let added = previous.added;
  for (const op of operations) {
    if (!Number.isInteger(op.label) || op.label < 0 || op.label > 0xffffffff) throw new Error(`internal: graph label ${op.label} does not fit the log`);
    bytes.writeUInt8(op.kind === 'add' ? KIND_ADD : KIND_DELETE, offset);
    bytes.writeUInt32LE(op.label, offset + 1);
    offset += 5;
    if (op.kind === 'add') {
      if (op.vector.length !== dimension) throw new Error(`internal: a vector of ${op.vector.length} values for a ${dimension}-dimension graph`);
      for (let i = 0; i < dimension; i++) bytes.writeFloatLE(op.vector[i]!, offset + i * 4);
      offset += dimension * 4;
      added++;
    }
  }
  return { bytes, operations: previous.operations + operations.length, added };
}

/** The whole file: header + body. */
export function graphLogFile(body: GraphLogBody, dimension: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(GRAPH_LOG_MAGIC, 0, 'latin1');
  header.writeUInt32LE(dimension, 8);
  header.writeUInt32LE(body.operations, 12);
  return Buffer.concat([header, body.bytes]);
}

/** Parses a whole hnsw.log; throws an Error saying what is wrong when it is not a well-formed log for `dimension`. */
export function parseGraphLog(file: Uint8Array, dimension: number): { body: GraphLogBody; operations: GraphOperation[] } {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (bytes.byteLength < HEADER_BYTES || bytes.toString('latin1', 0, 8) !== GRAPH_LOG_MAGIC) throw new Error('not an operation log');
  if (bytes.readUInt32LE(8) !== dimension) throw new Error(`written for dimension ${bytes.readUInt32LE(8)}, not ${dimension}`);
  const count = bytes.readUInt32LE(12);
  const operations: GraphOperation[] = [];
  let offset = HEADER_BYTES;
  let added = 0;
  while (offset < bytes.byteLength) {
    if (offset + 5 > bytes.byteLength) throw new Error('ends inside an operation');
    const kind = bytes.readUInt8(offset);
    const label = bytes.readUInt32LE(offset + 1);
    offset += 5;
    if (kind === KIND_DELETE) operations.push({ kind: 'delete', label });
    else if (kind === KIND_ADD) {
      if (offset + dimension * 4 > bytes.byteLength) throw new Error('ends inside a vector');
      const vector = new Float32Array(dimension);
      for (let i = 0; i < dimension; i++) vector[i] = bytes.readFloatLE(offset + i * 4);
      offset += dimension * 4;
      operations.push({ kind: 'add', label, vector });
      added++;
    } else throw new Error(`unknown operation ${kind}`);
  }
  if (operations.length !== count) throw new Error(`holds ${operations.length} operations, its header says ${count}`);
  return { body: { bytes: bytes.subarray(HEADER_BYTES), operations: count, added }, operations };
}

/**
 * Applies `operations` in order: markDelete, and addPoint reusing a deleted element's slot (replaceDeleted), the graph
 * grown first when the additions would not fit. The one way operations reach a graph, at re-index and at load.
 */
export function applyGraphOperations(hnsw: HnswIndex, operations: readonly GraphOperation[]): void {
  reserveFor(hnsw, operations);
  for (const op of operations) applyOne(hnsw, op);
}

/**
 * applyGraphOperations in slices, for a re-index on the bot's event loop: an addPoint costs about a millisecond at
 * 100k elements, and a re-index may add thousands. The same operations in the same order: the same graph.
 */
export async function applyGraphOperationsPaced(hnsw: HnswIndex, operations: readonly GraphOperation[], pacer: Pacer): Promise<void> {
  reserveFor(hnsw, operations);
  for (const op of operations) {
    applyOne(hnsw, op);
    await pacer.tick();
  }
}

function reserveFor(hnsw: HnswIndex, operations: readonly GraphOperation[]): void {
  let adds = 0;
  for (const op of operations) if (op.kind === 'add') adds++;
  // Capacity only bounds memory: it changes neither the links nor the search results, so the loader may grow the
  // graph at other points than the indexer did.
  const needed = hnsw.getCurrentCount() + adds;
  if (needed > hnsw.getMaxElements()) hnsw.resizeIndex(Math.ceil(needed * 1.25) + 16);
}

function applyOne(hnsw: HnswIndex, op: GraphOperation): void {
  if (op.kind === 'delete') hnsw.markDelete(op.label);
  else hnsw.addPoint(Array.from(op.vector), op.label, true);
}
