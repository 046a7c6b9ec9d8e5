import type * as Arrow from "apache-arrow";

type ArrowModule = typeof Arrow;

/** One column of a batch: strings, numbers, booleans or (for a vector column) Float32Arrays. */
export type ColumnValues = readonly string[] | readonly number[] | readonly boolean[] | readonly Float32Array[];

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
  if (arrow.DataType.isUtf8(type)) return utf8(arrow, type, values as readonly string[]);
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

function utf8(arrow: ArrowModule, type: Arrow.Utf8, values: readonly string[]): Arrow.Data<Arrow.Utf8> {
  const offsets = new Int32Array(values.length + 1);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += Buffer.byteLength(values[i]!, "utf8");
    offsets[i + 1] = total;
  }
  if (total > 0x7fffffff) throw new Error(`a batch of ${values.length} strings holds ${total} bytes, over Arrow's 2 GiB Utf8 limit`);
  const data = Buffer.allocUnsafe(total);
  for (let i = 0; i < values.length; i++) data.write(values[i]!, offsets[i]!, "utf8");
  return arrow.makeData({ type, length: values.length, nullCount: 0, valueOffsets: offsets, data });
}
