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

/** One column of a batch: strings, numbers, booleans or (for a vector column) Float32Arrays. */
export type ColumnValues = readonly string[] | JoinedStrings | readonly number[] | readonly boolean[] | readonly Float32Array[];

/**
 * Builds an Arrow table of `schema` straight from column arrays. LanceDB's own conversion of an
 * array of row objects walks every row's property paths; this writes each column's buffer in one
 * pass (UTF-8 through Buffer.write), which took most of the ingest's JavaScript time.
 */
export function arrowTable(arrow: ArrowModule, schema: Arrow.Schema, columns: Readonly<Record<string, ColumnValues>>, length: number): Arrow.Table {
  const children = schema.fields.map((field) => {
    const values = columns[field.name];
    if (!values || values.length !== length) throw new Error(`column '${field.name}' has ${values?.length ?? 0} values, expected ${length}`);
    return columnData(arrow, field.type as Arrow.DataType, values);
  });
  const batch = new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length, nullCount: 0, children }));
  return new arrow.Table([batch]);
}

function columnData(arrow: ArrowModule, type: Arrow.DataType, values: ColumnValues): Arrow.Data {
  const length = values.length;
  if (arrow.DataType.isUtf8(type)) return utf8(arrow, type, values instanceof JoinedStrings ? values : new JoinedStrings(values as readonly string[], new Array<string>(length).fill("")));
  if (values instanceof JoinedStrings) throw new Error(`joined strings given for a ${String(type)} column`);
  if (arrow.DataType.isInt(type)) return arrow.makeData({ type, length, nullCount: 0, data: Int32Array.from(values as readonly number[]) });
  if (arrow.DataType.isFloat(type)) return arrow.makeData({ type, length, nullCount: 0, data: Float64Array.from(values as readonly number[]) });
  if (arrow.DataType.isBool(type)) {
    const bits = new Uint8Array(Math.ceil(length / 8));
    (values as readonly boolean[]).forEach((v, i) => {
      if (v) bits[i >> 3]! |= 1 << (i & 7);
    });
    return arrow.makeData({ type, length, nullCount: 0, data: bits });
  }
  if (arrow.DataType.isFixedSizeList(type)) {
    const size = type.listSize;
    const flat = new Float32Array(length * size);
    (values as readonly Float32Array[]).forEach((v, i) => flat.set(v.subarray(0, size), i * size));
    const child = arrow.makeData({ type: type.children[0]!.type as Arrow.Float32, length: flat.length, nullCount: 0, data: flat });
    return arrow.makeData({ type, length, nullCount: 0, child });
  }
  throw new Error(`unsupported column type ${String(type)}`);
}

/** Throws when `bytes` (or UTF-16 units, at least one byte each) of a batch of `length` strings exceed Arrow's Int32 Utf8 offsets. */
export function checkUtf8Size(bytes: number, length: number): void {
  if (bytes > 0x7fffffff) throw new Error(`a batch of ${length} strings holds over 2 GiB, Arrow's Utf8 limit`);
}

/**
 * Encodes the strings as one UTF-8 buffer, in one pass: the buffer starts at one byte per UTF-16
 * unit (exact for ASCII) and grows when a part may not fit. A value equal to the one before it (a
 * chunk's document id, version, matter and type repeat over its document's chunks) and a head
 * equal to the one before it (the chunks of a section share their search header) are copied as
 * bytes, not encoded again.
 */
function utf8(arrow: ArrowModule, type: Arrow.Utf8, values: JoinedStrings): Arrow.Data<Arrow.Utf8> {
  const { heads, tails } = values;
  const length = heads.length;
  const offsets = new Int32Array(length + 1);
  let units = 0;
  for (let i = 0; i < length; i++) units += heads[i]!.length + tails[i]!.length;
  // Checked before allocating: a buffer of 2^31..2^32 bytes would be allocated and Int32 offsets wrap.
  checkUtf8Size(units, length);
  let data = Buffer.allocUnsafe(Math.max(16, units));
  let at = 0;
  const grow = (needed: number): void => {
    checkUtf8Size(needed, length);
    const grown = Buffer.allocUnsafe(Math.min(0x7fffffff, Math.max(needed, Math.ceil(data.length * 1.5))));
    data.copy(grown, 0, 0, at);
    data = grown;
  };
  /** Makes room for `part` at `at` (UTF-8 takes at most 3 bytes per UTF-16 unit). */
  const room = (part: string): void => {
    if (data.length - at >= part.length * 3) return;
    const needed = at + Buffer.byteLength(part, "utf8");
    if (needed > data.length) grow(needed);
  };
  /** Copies bytes already written (`from` to `to`) to the end. */
  const copyBack = (from: number, to: number): void => {
    const needed = at + to - from;
    if (needed > data.length) grow(needed);
    data.copyWithin(at, from, to);
    at = needed;
  };
  /** Bytes of the head of the value before (a head equal to it is copied from there). */
  let headBytes = 0;
  for (let i = 0; i < length; i++) {
    const head = heads[i]!;
    const tail = tails[i]!;
    if (i > 0 && head === heads[i - 1] && tail === tails[i - 1]) copyBack(offsets[i - 1]!, offsets[i]!);
    else {
      // Each part is written on its own: a lone surrogate at the end of one is not paired with the next.
      if (i > 0 && head === heads[i - 1]) copyBack(offsets[i - 1]!, offsets[i - 1]! + headBytes);
      else if (head.length === 0) headBytes = 0;
      else {
        room(head);
        headBytes = data.write(head, at, "utf8");
        at += headBytes;
      }
      if (tail.length > 0) {
        room(tail);
        at += data.write(tail, at, "utf8");
      }
    }
    offsets[i + 1] = at;
  }
  return arrow.makeData({ type, length, nullCount: 0, valueOffsets: offsets, data: data.subarray(0, at) });
}
