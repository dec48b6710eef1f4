/** First chunk size; each new chunk doubles up to MAX_CHUNK, so a small table stays small. */
const FIRST_CHUNK = 64 * 1024;
const MAX_CHUNK = 4 * 1024 * 1024;
const FIRST_CAPACITY = 1024;
const FREE = -1;
/** `chunk` of an empty value: it takes no bytes, so no chunk keeps it (or is kept alive by it). */
const NO_CHUNK = -2;
const EMPTY = Buffer.alloc(0);

/**
 * Values read from the log but not decoded yet, packed so that a bootstrapped table costs little more than its
 * bytes: each value is appended to a large chunk (never a slice of kafkajs's fetch response, which would keep
 * the whole response alive), and its version, place and source record sit in typed-array columns under a
 * numeric id. Per value that is no JS object at all; one Buffer object and an `Encoded` object each took more
 * than the value's map entry and key together, and every one of them was a survivor the young generation
 * grew for during the bootstrap (docs/kv-store.md, "Bootstrap").
 *
 * A chunk is never written twice: a removed value's bytes just become dead. A chunk without live bytes is
 * dropped; when dead bytes outgrow live ones the live values are copied into fresh chunks (ids do not
 * change), so the chunks hold at most about twice the live bytes.
 */
export class EncodedValues {
  private chunks: Array<Buffer | undefined> = [];
  private chunkLive: number[] = [];
  private used = 0;
  private liveBytes = 0;
  private deadBytes = 0;
  private count = 0;
  private next = 0;
  private freeHead = FREE;
  private c = columns(FIRST_CAPACITY);

  /** Values held. */
  get size(): number {
    return this.count;
  }

  /** Copies the bytes in; the caller may reuse its buffer afterwards. */
  add(bytes: Uint8Array, version: number, partition: number, offset: number): number {
    const id = this.allocateId();
    this.place(id, bytes);
    this.c.version[id] = version;
    this.c.partition[id] = partition;
    this.c.offset[id] = offset;
    this.liveBytes += bytes.length;
    this.count += 1;
    return id;
  }

  /** A view of the value's bytes, valid for as long as the caller keeps it (chunks are never overwritten). */
  bytes(id: number): Buffer {
    if (this.c.length[id] === 0) return EMPTY;
    const chunk = this.chunks[this.c.chunk[id] as number] as Buffer;
    const start = this.c.start[id] as number;
    return chunk.subarray(start, start + (this.c.length[id] as number));
  }

  version(id: number): number {
    return this.c.version[id] as number;
  }

  where(id: number): { partition: number; offset: number } {
    return { partition: this.c.partition[id] as number, offset: this.c.offset[id] as number };
  }

  remove(id: number): void {
    const length = this.c.length[id] as number;
    const chunk = this.c.chunk[id] as number;
    this.c.length[id] = FREE;
    this.c.chunk[id] = this.freeHead;
    this.freeHead = id;
    this.count -= 1;
    if (this.count === 0) {
      this.reset();
      return;
    }
    if (chunk === NO_CHUNK) return;
    this.liveBytes -= length;
    this.deadBytes += length;
    const live = (this.chunkLive[chunk] as number) - length;
    this.chunkLive[chunk] = live;
    if (live === 0 && chunk !== this.chunks.length - 1) {
      this.deadBytes -= this.chunks[chunk]?.length ?? 0;
      this.chunks[chunk] = undefined;
    }
    if (this.deadBytes > this.liveBytes && this.deadBytes > MAX_CHUNK) this.compact();
  }

  private allocateId(): number {
    if (this.freeHead !== FREE) {
      const id = this.freeHead;
      this.freeHead = this.c.chunk[id] as number;
      return id;
    }
    if (this.next === this.c.length.length) this.c = columns(this.next * 2, this.c);
    const id = this.next;
    this.next += 1;
    return id;
  }

  private place(id: number, bytes: Uint8Array): void {
    if (bytes.length === 0) {
      // Counted in no chunk's live bytes: a chunk whose other values are gone must be free to go.
      this.c.chunk[id] = NO_CHUNK;
      this.c.start[id] = 0;
      this.c.length[id] = 0;
      return;
    }
    let last = this.chunks.length - 1;
    let chunk = this.chunks[last];
    if (chunk === undefined || this.used + bytes.length > chunk.length) {
      // The unused tail of the chunk being left counts as dead, so compaction accounts for it.
      if (chunk !== undefined) this.deadBytes += chunk.length - this.used;
      const previous = chunk?.length ?? FIRST_CHUNK / 2;
      chunk = Buffer.allocUnsafeSlow(Math.max(bytes.length, Math.min(MAX_CHUNK, previous * 2)));
      this.chunks.push(chunk);
      this.chunkLive.push(0);
      last += 1;
      this.used = 0;
    }
    chunk.set(bytes, this.used);
    this.c.chunk[id] = last;
    this.c.start[id] = this.used;
    this.c.length[id] = bytes.length;
    this.chunkLive[last] = (this.chunkLive[last] as number) + bytes.length;
    this.used += bytes.length;
  }

  /** Copies every live value into fresh chunks; the old ones go when the last view of them does. */
  private compact(): void {
    const old = this.chunks;
    this.chunks = [];
    this.chunkLive = [];
    this.used = 0;
    this.deadBytes = 0;
    for (let id = 0; id < this.next; id += 1) {
      const length = this.c.length[id] as number;
      if (length === FREE) continue;
      const chunk = old[this.c.chunk[id] as number] as Buffer;
      const start = this.c.start[id] as number;
      this.place(id, chunk.subarray(start, start + length));
    }
  }

  /** Nothing left encoded (every value was read): give the chunks and columns back. */
  private reset(): void {
    this.chunks = [];
    this.chunkLive = [];
    this.used = 0;
    this.liveBytes = 0;
    this.deadBytes = 0;
    this.next = 0;
    this.freeHead = FREE;
    this.c = columns(FIRST_CAPACITY);
  }
}

/** Per id: where its bytes are, and the record they came from. FREE in `length` marks an unused id. */
interface Columns {
  /** For a free id: the next free id. */
  chunk: Int32Array;
  start: Int32Array;
  length: Int32Array;
  partition: Int32Array;
  version: Float64Array;
  offset: Float64Array;
}

function columns(capacity: number, from?: Columns): Columns {
  const c: Columns = {
    chunk: new Int32Array(capacity),
    start: new Int32Array(capacity),
    length: new Int32Array(capacity).fill(FREE),
    partition: new Int32Array(capacity),
    version: new Float64Array(capacity),
    offset: new Float64Array(capacity),
  };
  if (from !== undefined) for (const name of Object.keys(c) as Array<keyof Columns>) c[name].set(from[name]);
  return c;
}
