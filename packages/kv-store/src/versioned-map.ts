import type { Codec, DecodeResult, FieldError } from '@labeldocs/schemas';
import { EncodedValues } from './encoded-values.js';
import type { Versioned } from './types.js';

/** What the map does when a record turns out not to decode: the table treats it like a tombstone. */
export type OnInvalid = (
  key: string,
  version: number,
  where: { partition: number; offset: number },
  errors: FieldError[],
) => void;

/**
 * The table's key → value map with lazy, validated materialisation. A put is stored encoded (its slot is an id
 * in `EncodedValues`) and decoded with the codec the first time anything needs its value (get, iteration, a
 * subscriber, the writer's decision); the decoded `Versioned` replaces it, so every later read returns the
 * same object. A record the codec rejects is never served: `onInvalid` removes the key. Reads look like a
 * `ReadonlyMap` of `Versioned`.
 */
export class VersionedMap<T> {
  /** A number is an id in `encoded`: the slot costs no object of its own. */
  private readonly slots = new Map<string, Versioned<T> | number>();
  private readonly encoded = new EncodedValues();

  constructor(
    private readonly codec: () => Codec<T> | undefined,
    private readonly onInvalid: OnInvalid,
  ) {}

  /**
   * Keys holding a value. A key whose newest record was not decoded yet counts too; if that record turns out
   * invalid when first read, the key drops out (see docs/kv-store.md, "Invalid records").
   */
  get size(): number {
    return this.slots.size;
  }

  /** Values still encoded; 0 means every value is materialised. */
  get pending(): number {
    return this.encoded.size;
  }

  get(key: string): Versioned<T> | undefined {
    const slot = this.slots.get(key);
    return typeof slot === 'number' ? this.materialise(key, slot) : slot;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** The newest record's version without decoding it (0 when the key has no value). */
  versionOf(key: string): number | undefined {
    const slot = this.slots.get(key);
    return typeof slot === 'number' ? this.encoded.version(slot) : slot?.version;
  }

  *entries(): IterableIterator<[string, Versioned<T>]> {
    // Replacing or deleting the current key while iterating a Map is safe and keeps the order.
    for (const [key, slot] of this.slots) {
      const value = typeof slot === 'number' ? this.materialise(key, slot) : slot;
      if (value !== undefined) yield [key, value];
    }
  }

  [Symbol.iterator](): IterableIterator<[string, Versioned<T>]> {
    return this.entries();
  }

  /** Decodes as it goes, so a key whose value does not decode is never listed. */
  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<Versioned<T>> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(callback: (value: Versioned<T>, key: string, map: this) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }

  /** Decodes every value still encoded (the cost an eager bootstrap pays up front). */
  materialiseAll(): void {
    if (this.pending === 0) return;
    for (const [key, slot] of this.slots) if (typeof slot === 'number') this.materialise(key, slot);
  }

  set(key: string, value: Versioned<T>): void {
    const before = this.slots.get(key);
    if (typeof before === 'number') this.encoded.remove(before);
    this.slots.set(key, value);
  }

  /** Keeps a copy of the bytes, to be decoded on first read. */
  setEncoded(key: string, bytes: Uint8Array, version: number, partition: number, offset: number): void {
    const before = this.slots.get(key);
    if (typeof before === 'number') this.encoded.remove(before);
    this.slots.set(key, this.encoded.add(bytes, version, partition, offset));
  }

  delete(key: string): void {
    const before = this.slots.get(key);
    if (typeof before === 'number') this.encoded.remove(before);
    this.slots.delete(key);
  }

  private materialise(key: string, id: number): Versioned<T> | undefined {
    const decoded = safeDecode(this.codec(), this.encoded.bytes(id));
    const version = this.encoded.version(id);
    if (decoded.ok) {
      const value: Versioned<T> = { value: decoded.value, version };
      this.set(key, value);
      return value;
    }
    const where = this.encoded.where(id);
    this.delete(key);
    this.onInvalid(key, version, where, decoded.errors);
    return undefined;
  }
}

/** Codecs promise never to throw; one that does must not stall the reader or a read on a poison record. */
export function safeDecode<T>(codec: Codec<T> | undefined, bytes: Buffer): DecodeResult<T> {
  if (codec === undefined) return { ok: false, errors: [{ path: '(root)', message: 'no codec configured' }] };
  try {
    return codec.decode(bytes);
  } catch (error) {
    return { ok: false, errors: [{ path: '(root)', message: `codec threw: ${(error as Error).message}` }] };
  }
}
