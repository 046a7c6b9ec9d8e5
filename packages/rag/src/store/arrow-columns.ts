import type * as Arrow from "apache-arrow";

type ArrowModule = typeof Arrow;

/**
 * Strings given as two parts each, value i being `heads[i] + tails[i]`: written straight into the
 * column's buffer, so the joined strings are never built (a chunk's search text is its section's
 * shared header and its own text, a slice of the document: joining them copied every chunk once more).
 */
export class JoinedStrings {
  constructor(
    readonly heads: readonly string[],
    readonly tails: readonly string[],
  ) {
    if (heads.length !== tails.length) throw new Error(`joined strings have ${heads.length} heads and ${tails.length} tails`);
  }

  get length(): number {
    return this.heads.length;
  }
}

/** Strings already encoded as one UTF-8 buffer: value i is `bytes[offsets[i], offsets[i + 1])` (`offsets[0]` is 0). */
export class PackedStrings {
  constructor(
    readonly bytes: Uint8Array,
    readonly offsets: Int32Array,
  ) {
    if (offsets.length === 0 || offsets[0] !== 0 || offsets[offsets.length - 1]! > bytes.length) throw new Error("packed strings' offsets do not fit their bytes");
  }

  get length(): number {
    return this.offsets.length - 1;
  }
}

/** One column of a batch: strings (or their UTF-8 bytes), numbers, booleans or (for a vector column) Float32Arrays. */
export type ColumnValues = readonly (string | Uint8Array)[] | JoinedStrings | PackedStrings | readonly number[] | readonly boolean[] | readonly Float32Array[];

/**
 * Builds an Arrow table of `schema` straight from column arrays. LanceDB's own conversion of an
 * array of row objects walks every row's property paths; this writes each column's buffer in one
 * pass (UTF-8 through Buffer.write), which took most of the ingest's JavaScript time.
 */
export function arrowTable(arrow: ArrowModule, schema: Arrow.Schema, columns: Readonly<Record<string, ColumnValues>>, length: number): Arrow.Table {
  const rows = new RowsBuilder(arrow, schema, { exact: true });
  rows.append(columns, length);
  return rows.table();
}

/** One column's storage, grown as rows are appended. */
interface ColumnBuilder {
  append(values: ColumnValues): void;
  /** Undoes the appends made after this call (a failed append of another column of the same rows). */
  mark(): () => void;
  data(length: number): Arrow.Data;
  /** Empties the column, keeping its buffers (what `data` returned is overwritten by the next appends). */
  reset(): void;
}

/**
 * Rows of `schema` appended a group at a time (an ingest appends each document's chunks as soon as
 * it is prepared) and encoded at once into growing column buffers outside the JavaScript heap, so
 * the rows' objects die young instead of outliving the batch; `table()` then wraps the buffers.
 * A `reusable` builder is `reset()` once its table has been written, and fills the same buffers
 * again: an ingest's batches then allocate their buffers once, not each batch (off-heap buffers are
 * freed only by full garbage collections, which their allocation keeps triggering).
 */
export class RowsBuilder {
  readonly #arrow: ArrowModule;
  readonly #schema: Arrow.Schema;
  readonly #columns: ColumnBuilder[];
  readonly #reusable: boolean;
  #length = 0;

  /**
   * `exact`: one append of all the rows (buffers sized to them, not grown ahead). `reusable`: the
   * table wraps views of the buffers (never trimmed copies), to be refilled after `reset()`.
   */
  constructor(arrow: ArrowModule, schema: Arrow.Schema, options: { readonly exact?: boolean; readonly reusable?: boolean } = {}) {
    this.#arrow = arrow;
    this.#schema = schema;
    this.#reusable = options.reusable === true;
    this.#columns = schema.fields.map((field) => columnBuilder(arrow, field.type as Arrow.DataType, options.exact === true, this.#reusable));
  }

  /**
   * Empties a `reusable` builder for new rows, keeping its buffers. Only once the table `table()`
   * returned is read no more (LanceDB copies a table when it is added): the next rows overwrite it.
   */
  reset(): void {
    if (!this.#reusable) throw new Error("reset() of a builder that is not reusable");
    this.#columns.forEach((c) => c.reset());
    this.#length = 0;
  }

  /** Rows appended so far. */
  get length(): number {
    return this.#length;
  }

  /** Appends `length` rows given as columns, all or none: a failure (a column missing, over 2 GiB of text) leaves the rows before it. */
  append(columns: Readonly<Record<string, ColumnValues>>, length: number): void {
    const values = this.#schema.fields.map((field) => {
      const v = columns[field.name];
      if (!v || v.length !== length) throw new Error(`column '${field.name}' has ${v?.length ?? 0} values, expected ${length}`);
      return v;
    });
    const undo = this.#columns.map((c) => c.mark());
    try {
      this.#columns.forEach((c, i) => c.append(values[i]!));
    } catch (error) {
      undo.forEach((u) => u());
      throw error;
    }
    this.#length += length;
  }

  /** The rows as one record batch (the buffers are its own: append no more after this). */
  table(): Arrow.Table {
    const arrow = this.#arrow;
    const length = this.#length;
    const children = this.#columns.map((c) => c.data(length));
    const batch = new arrow.RecordBatch(this.#schema, arrow.makeData({ type: new arrow.Struct(this.#schema.fields), length, nullCount: 0, children }));
    return new arrow.Table([batch]);
  }
}

type Numbers = Int32Array | Float64Array | Float32Array | Uint8Array;

/** `array` with room for `needed` values: itself, or a copy grown by half (or to `needed`). */
function roomFor<T extends Numbers>(array: T, used: number, needed: number, make: (n: number) => T): T {
  if (needed <= array.length) return array;
  const grown = make(Math.max(needed, Math.ceil(array.length * 1.5)));
  grown.set(array.subarray(0, used));
  return grown;
}

/**
 * `array`'s first `used` values: a view, or a copy of their size when the slack is worth giving back (a batch's
 * buffers stay in memory until it is written). Always a view of a `reusable` builder's buffer (kept for the next rows).
 */
function trimmed<T extends Numbers>(array: T, used: number, make: (n: number) => T, reusable: boolean): T {
  const head = array.subarray(0, used) as T;
  if (reusable || array.length - used <= 1024 || array.length - used <= used / 8) return head;
  const copy = make(used);
  copy.set(head);
  return copy;
}

function columnBuilder(arrow: ArrowModule, type: Arrow.DataType, exact: boolean, reusable: boolean): ColumnBuilder {
  if (arrow.DataType.isUtf8(type)) return new Utf8Builder(arrow, type, exact, reusable);
  if (arrow.DataType.isInt(type)) return new NumberBuilder(arrow, type, (n) => new Int32Array(n), reusable);
  if (arrow.DataType.isFloat(type)) return new NumberBuilder(arrow, type, (n) => new Float64Array(n), reusable);
  if (arrow.DataType.isBool(type)) return new BoolBuilder(arrow, type);
  if (arrow.DataType.isFixedSizeList(type)) return new VectorBuilder(arrow, type as Arrow.FixedSizeList<Arrow.Float32>, reusable);
  throw new Error(`unsupported column type ${String(type)}`);
}

class NumberBuilder<T extends Int32Array | Float64Array> implements ColumnBuilder {
  #values: T;
  #length = 0;
  constructor(
    private readonly arrow: ArrowModule,
    private readonly type: Arrow.DataType,
    private readonly make: (n: number) => T,
    private readonly reusable: boolean,
  ) {
    this.#values = make(0);
  }

  reset(): void {
    this.#length = 0;
  }

  append(values: ColumnValues): void {
    if (values instanceof JoinedStrings || values instanceof PackedStrings) throw new Error(`strings given for a ${String(this.type)} column`);
    const numbers = values as readonly number[];
    this.#values = roomFor(this.#values, this.#length, this.#length + numbers.length, this.make);
    for (let i = 0; i < numbers.length; i++) this.#values[this.#length + i] = numbers[i]!;
    this.#length += numbers.length;
  }

  mark(): () => void {
    const length = this.#length;
    return () => void (this.#length = length);
  }

  data(length: number): Arrow.Data {
    return this.arrow.makeData({ type: this.type as Arrow.Int32, length, nullCount: 0, data: trimmed(this.#values, this.#length, this.make, this.reusable) as Int32Array });
  }
}

class BoolBuilder implements ColumnBuilder {
  /** One byte per value (packed to bits by `data`). */
  #values = new Uint8Array(0);
  #length = 0;
  constructor(
    private readonly arrow: ArrowModule,
    private readonly type: Arrow.Bool,
  ) {}

  reset(): void {
    this.#length = 0;
  }

  append(values: ColumnValues): void {
    if (values instanceof JoinedStrings || values instanceof PackedStrings) throw new Error("strings given for a boolean column");
    const flags = values as readonly boolean[];
    this.#values = roomFor(this.#values, this.#length, this.#length + flags.length, (n) => new Uint8Array(n));
    for (let i = 0; i < flags.length; i++) this.#values[this.#length + i] = flags[i] ? 1 : 0;
    this.#length += flags.length;
  }

  mark(): () => void {
    const length = this.#length;
    return () => void (this.#length = length);
  }

  data(length: number): Arrow.Data {
    const bits = new Uint8Array(Math.ceil(length / 8));
    for (let i = 0; i < length; i++) if (this.#values[i]) bits[i >> 3]! |= 1 << (i & 7);
    return this.arrow.makeData({ type: this.type, length, nullCount: 0, data: bits });
  }
}

class VectorBuilder implements ColumnBuilder {
  #values = new Float32Array(0);
  #length = 0;
  constructor(
    private readonly arrow: ArrowModule,
    private readonly type: Arrow.FixedSizeList<Arrow.Float32>,
    private readonly reusable: boolean,
  ) {}

  reset(): void {
    this.#length = 0;
  }

  append(values: ColumnValues): void {
    if (values instanceof JoinedStrings || values instanceof PackedStrings) throw new Error("strings given for a vector column");
    const vectors = values as readonly Float32Array[];
    const size = this.type.listSize;
    this.#values = roomFor(this.#values, this.#length * size, (this.#length + vectors.length) * size, (n) => new Float32Array(n));
    vectors.forEach((v, i) => this.#values.set(v.subarray(0, size), (this.#length + i) * size));
    this.#length += vectors.length;
  }

  mark(): () => void {
    const length = this.#length;
    return () => void (this.#length = length);
  }

  data(length: number): Arrow.Data {
    const flat = trimmed(this.#values, length * this.type.listSize, (n) => new Float32Array(n), this.reusable);
    const child = this.arrow.makeData({ type: this.type.children[0]!.type, length: flat.length, nullCount: 0, data: flat });
    return this.arrow.makeData({ type: this.type, length, nullCount: 0, child });
  }
}

/** Throws when `bytes` (or UTF-16 units, at least one byte each) of a batch of `length` strings exceed Arrow's Int32 Utf8 offsets. */
export function checkUtf8Size(bytes: number, length: number): void {
  if (bytes > 0x7fffffff) throw new Error(`a batch of ${length} strings holds over 2 GiB, Arrow's Utf8 limit`);
}

/**
 * Encodes strings into one UTF-8 buffer, each append in one pass: the buffer grows to at least one
 * byte per UTF-16 unit of what is appended (exact for ASCII), and again when a part may not fit. A
 * value equal to the one before it (a chunk's document id, version, matter and type repeat over its
 * document's chunks) and a head equal to the one before it (the chunks of a section share their
 * search header) are copied as bytes, not encoded again.
 */
class Utf8Builder implements ColumnBuilder {
  #data = Buffer.allocUnsafe(0);
  /** Bytes written. */
  #at = 0;
  #offsets = new Int32Array(1);
  #length = 0;
  /** The last value's head and tail, and the bytes of its head (a head equal to it is copied from there). */
  #head: string | undefined;
  #tail: string | undefined;
  #headBytes = 0;

  constructor(
    private readonly arrow: ArrowModule,
    private readonly type: Arrow.Utf8,
    /** Sized to the first append, not grown ahead (a table built in one append). */
    private readonly exact: boolean,
    private readonly reusable: boolean,
  ) {}

  reset(): void {
    [this.#at, this.#length, this.#head, this.#tail, this.#headBytes] = [0, 0, undefined, undefined, 0];
  }

  append(values: ColumnValues): void {
    if (values instanceof PackedStrings) return this.#appendPacked(values);
    if (!(values instanceof JoinedStrings)) {
      // Strings (each a head with no tail) and UTF-8 bytes, copied as they are.
      const parts = values as readonly (string | Uint8Array)[];
      if (parts.every((v) => typeof v === "string")) return this.append(new JoinedStrings(parts, new Array<string>(parts.length).fill("")));
      for (const v of parts) {
        if (typeof v === "string") this.append([v]);
        else this.#appendBytes(v);
      }
      return;
    }
    const { heads, tails } = values;
    const count = heads.length;
    let units = 0;
    for (let i = 0; i < count; i++) units += heads[i]!.length + tails[i]!.length;
    // Checked before allocating: a buffer of 2^31..2^32 bytes would be allocated and Int32 offsets wrap.
    checkUtf8Size(this.#at + units, this.#length + count);
    this.#room(this.#at + Math.max(units, this.exact ? 16 : 0));
    this.#offsets = roomFor(this.#offsets, this.#length + 1, this.#length + count + 1, (n) => new Int32Array(n));
    const offsets = this.#offsets;
    for (let i = 0; i < count; i++) {
      const head = heads[i]!;
      const tail = tails[i]!;
      const row = this.#length;
      if (row > 0 && head === this.#head && tail === this.#tail) this.#copyBack(offsets[row - 1]!, offsets[row]!);
      else {
        // Each part is written on its own: a lone surrogate at the end of one is not paired with the next.
        if (row > 0 && head === this.#head) this.#copyBack(offsets[row - 1]!, offsets[row - 1]! + this.#headBytes);
        else if (head.length === 0) this.#headBytes = 0;
        else this.#headBytes = this.#write(head);
        if (tail.length > 0) this.#write(tail);
      }
      this.#head = head;
      this.#tail = tail;
      offsets[row + 1] = this.#at;
      this.#length = row + 1;
    }
  }

  /** Appends values already encoded together. */
  #appendPacked(values: PackedStrings): void {
    const count = values.length;
    const bytes = values.offsets[count]!;
    checkUtf8Size(this.#at + bytes, this.#length + count);
    this.#room(this.#at + bytes);
    this.#offsets = roomFor(this.#offsets, this.#length + 1, this.#length + count + 1, (n) => new Int32Array(n));
    this.#data.set(values.bytes.subarray(0, bytes), this.#at);
    for (let i = 1; i <= count; i++) this.#offsets[this.#length + i] = this.#at + values.offsets[i]!;
    this.#at += bytes;
    this.#length += count;
    this.#head = this.#tail = undefined;
  }

  /** Appends one value given as UTF-8 bytes. */
  #appendBytes(bytes: Uint8Array): void {
    checkUtf8Size(this.#at + bytes.length, this.#length + 1);
    this.#room(this.#at + bytes.length);
    this.#offsets = roomFor(this.#offsets, this.#length + 1, this.#length + 2, (n) => new Int32Array(n));
    this.#data.set(bytes, this.#at);
    this.#at += bytes.length;
    this.#head = this.#tail = undefined;
    this.#offsets[++this.#length] = this.#at;
  }

  mark(): () => void {
    const [at, length, head, tail, headBytes] = [this.#at, this.#length, this.#head, this.#tail, this.#headBytes];
    return () => {
      [this.#at, this.#length, this.#head, this.#tail, this.#headBytes] = [at, length, head, tail, headBytes];
    };
  }

  data(length: number): Arrow.Data<Arrow.Utf8> {
    const data = trimmed(this.#data, this.#at, (n) => Buffer.allocUnsafe(n), this.reusable);
    return this.arrow.makeData({ type: this.type, length, nullCount: 0, valueOffsets: trimmed(this.#offsets, length + 1, (n) => new Int32Array(n), this.reusable), data });
  }

  /** Makes the buffer at least `needed` bytes (grown by half at least, unless exact). */
  #room(needed: number): void {
    if (needed <= this.#data.length) return;
    checkUtf8Size(needed, this.#length);
    const size = this.exact && this.#at === 0 ? needed : Math.min(0x7fffffff, Math.max(needed, Math.ceil(this.#data.length * 1.5)));
    const grown = Buffer.allocUnsafe(size);
    this.#data.copy(grown, 0, 0, this.#at);
    this.#data = grown;
  }

  /** Writes `part` at the end (UTF-8 takes at most 3 bytes per UTF-16 unit); its byte count. */
  #write(part: string): number {
    if (this.#data.length - this.#at < part.length * 3) this.#room(this.#at + Buffer.byteLength(part, "utf8"));
    const bytes = this.#data.write(part, this.#at, "utf8");
    this.#at += bytes;
    return bytes;
  }

  /** Copies bytes already written (`from` to `to`) to the end. */
  #copyBack(from: number, to: number): void {
    this.#room(this.#at + to - from);
    this.#data.copyWithin(this.#at, from, to);
    this.#at += to - from;
  }
}
