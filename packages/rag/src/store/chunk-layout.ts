import type * as Arrow from "apache-arrow";
import { JoinedStrings, type ColumnValues, type PackedStrings } from "./arrow-columns";
import type { FieldSealer } from "./field-sealer";
import type { LexicalAnalyser } from "./lexical-analyser";
import type { ChunkRecord } from "./records";

/**
 * How chunk rows are stored.
 *
 * - `columns` (indexes written before): one column per field, the chunk text stored beside its
 *   search text.
 * - `packed` (plain indexes written before the `terms` layout): the filter columns (`documentId`,
 *   `version`, `matter`, `docType`), the BM25 column `searchText`, and one `place` string holding
 *   ordinal, offsets, page, text length and section path. The chunk text is the end of its search
 *   text (header, newline, text), so it is stored once; LanceDB's analyser stems it when indexing.
 * - `terms` (new indexes; encrypted indexes always had these columns): the same, but `searchText`
 *   holds the chunk's search terms, already analysed (`LexicalAnalyser`, or blind tokens in an
 *   encrypted index), and the text is a column of its own (sealed when encrypted). A search reads
 *   four columns instead of eleven: LanceDB's cost per hit grows with every column it takes.
 *
 * The chunk id (`documentId:version:ordinal`), matter and type follow from the row and its
 * document, so no layout reads them back.
 */
export type ChunkLayout = "columns" | "packed" | "terms";

/** A chunk's committed document, as a search needs it (visibility, matter, type). */
export interface ChunkOwner {
  readonly version: string;
  readonly matter: string;
  readonly type: string;
}

/** A raw search hit from the store, before fusion. */
export interface StoreHit {
  /** The chunk; its `text` and `sectionPath` are opened (unsealed, parsed) on first read, so only the hits a search keeps pay for it. */
  readonly chunk: ChunkRecord;
  readonly score: number;
}

export function layoutOf(schema: Arrow.Schema): ChunkLayout {
  const has = (name: string): boolean => schema.fields.some((f) => f.name === name);
  if (!has("place")) return "columns";
  return has("text") ? "terms" : "packed";
}

/** The chunks table's fields in `layout` (built with this package's apache-arrow: LanceDB's copy of a schema cannot build batches here). */
export function chunkFields(arrow: typeof Arrow, layout: ChunkLayout, dimensions: number | undefined): Arrow.Field[] {
  const { Field, Utf8, Int32, Float32, FixedSizeList } = arrow;
  const vector = (): Arrow.Field[] => (dimensions === undefined ? [] : [new Field("vector", new FixedSizeList(dimensions, new Field("item", new Float32(), true)))]);
  if (layout === "columns") {
    return [
      new Field("id", new Utf8()), new Field("documentId", new Utf8()), new Field("version", new Utf8()), new Field("matter", new Utf8()),
      new Field("docType", new Utf8()), new Field("text", new Utf8()), new Field("searchText", new Utf8()), new Field("start", new Int32()),
      new Field("end", new Int32()), new Field("page", new Int32()), new Field("sectionPath", new Utf8()), new Field("ordinal", new Int32()),
      ...vector(),
    ];
  }
  const fields: Arrow.Field[] = [new Field("documentId", new Utf8()), new Field("version", new Utf8()), new Field("matter", new Utf8()), new Field("docType", new Utf8()), new Field("searchText", new Utf8())];
  if (layout === "terms") fields.push(new Field("text", new Utf8()));
  fields.push(new Field("place", new Utf8()), ...vector());
  return fields;
}

/** The columns a search selects (besides its score). */
export function searchColumns(layout: ChunkLayout): string[] {
  if (layout === "columns") return ["documentId", "version", "text", "start", "end", "page", "sectionPath", "ordinal"];
  return ["documentId", "version", layout === "terms" ? "text" : "searchText", "place"];
}

/**
 * The columns of a chunk write. `searchHeaders[i]` is what BM25 indexes before chunk i's own text
 * (its file name, title, parties and section path, ending with a newline; "" for none). The search
 * text is the header then the chunk's text: as terms (`analyser`) in the `terms` layout, blind
 * tokens when the index is sealed, as written in the `packed` layout (whose chunk text is the end of
 * its search text, so it is stored once). `searchTerms`: the terms already analysed
 * (`LanceIndex.searchTerms`), in the `terms` layout.
 */
export function chunkColumns(layout: ChunkLayout, chunks: readonly ChunkRecord[], searchHeaders: readonly string[], fields: FieldSealer, analyser: LexicalAnalyser, searchTerms?: PackedStrings): Record<string, ColumnValues> {
  if (searchHeaders.length !== chunks.length) throw new Error(`${searchHeaders.length} search headers for ${chunks.length} chunks`);
  if (searchTerms && searchTerms.length !== chunks.length) throw new Error(`search terms of ${searchTerms.length} chunks for ${chunks.length} chunks`);
  const common = { documentId: chunks.map((c) => c.documentId), version: chunks.map((c) => c.version), matter: chunks.map((c) => c.matter), docType: chunks.map((c) => c.docType) };
  // The chunks of one section share their path array: it is turned into JSON once.
  const json = new Map<readonly string[], string>();
  const pathJson = (p: readonly string[]): string => {
    let s = json.get(p);
    if (s === undefined) json.set(p, (s = JSON.stringify(p)));
    return s;
  };
  const sectionPath = chunks.map((c) => fields.seal(pathJson(c.sectionPath), c.documentId));
  const texts = chunks.map((c) => c.text);
  const searchText = (): ColumnValues => (fields.sealed ? chunks.map((c, i) => fields.searchText(`${searchHeaders[i]!}${c.text}`)) : layout === "terms" ? (searchTerms ?? analyser.pack(searchHeaders, texts)) : new JoinedStrings(searchHeaders, texts));
  if (layout === "columns") {
    return {
      ...common,
      id: chunks.map((c) => c.id),
      text: chunks.map((c) => fields.seal(c.text, c.documentId)),
      searchText: searchText(),
      start: chunks.map((c) => c.start),
      end: chunks.map((c) => c.end),
      page: chunks.map((c) => c.page),
      sectionPath,
      ordinal: chunks.map((c) => c.ordinal),
    };
  }
  const place = chunks.map((c, i) => `${c.ordinal},${c.start},${c.end},${c.page},${c.text.length},${sectionPath[i]!}`);
  if (layout === "terms") return { ...common, searchText: searchText(), text: fields.sealed ? chunks.map((c) => fields.seal(c.text, c.documentId)) : texts, place };
  return { ...common, searchText: searchText(), place };
}

/**
 * A chunk read by a search. Ranking reads its ids, offsets and scores; only the few hits a search
 * keeps read `text` and `sectionPath`, so opening (in a sealed index) and parsing them waits for that.
 */
class StoredChunk implements ChunkRecord {
  #text: string | undefined;
  #sectionPath: string[] | undefined;
  constructor(
    readonly documentId: string,
    readonly version: string,
    readonly matter: string,
    readonly docType: string,
    readonly start: number,
    readonly end: number,
    readonly page: number,
    readonly ordinal: number,
    private readonly stored: { readonly text: () => string; readonly sectionPath: string; readonly fields: FieldSealer },
  ) {}

  get id(): string {
    return `${this.documentId}:${this.version}:${this.ordinal}`;
  }

  get text(): string {
    return (this.#text ??= this.stored.text());
  }

  get sectionPath(): string[] {
    return (this.#sectionPath ??= JSON.parse(this.stored.fields.open(this.stored.sectionPath, this.documentId)) as string[]);
  }

  toJSON(): ChunkRecord {
    return { id: this.id, documentId: this.documentId, version: this.version, matter: this.matter, docType: this.docType, text: this.text, start: this.start, end: this.end, page: this.page, sectionPath: this.sectionPath, ordinal: this.ordinal };
  }
}

/** Reads `place`: ordinal, start, end, page and text length, then the (sealed or plain) section path after the fifth comma. */
function parsePlace(place: string): { ordinal: number; start: number; end: number; page: number; chars: number; sectionPath: string } {
  const n: number[] = [];
  let from = 0;
  for (let i = 0; i < 5; i++) {
    const comma = place.indexOf(",", from);
    if (comma < 0) throw new Error(`malformed chunk place '${place.slice(0, 40)}'`);
    n.push(Number(place.slice(from, comma)));
    from = comma + 1;
  }
  return { ordinal: n[0]!, start: n[1]!, end: n[2]!, page: n[3]!, chars: n[4]!, sectionPath: place.slice(from) };
}

/**
 * Search results as chunks of committed versions, read column by column from LanceDB's Arrow
 * batches (no row proxies). Rows of versions no committed document points at are dropped.
 */
export function toStoreHits(
  table: Arrow.Table,
  layout: ChunkLayout,
  fields: FieldSealer,
  ownerOf: (documentId: string) => ChunkOwner | undefined,
  scoreOf: (value: number) => number,
  scoreColumn: string,
): StoreHit[] {
  if (table.numRows === 0) return []; // LanceDB hands back a table without columns then
  const column = (name: string): Arrow.Vector => {
    const child = table.getChild(name);
    if (!child) throw new Error(`search result lacks column '${name}'`);
    return child;
  };
  const names = searchColumns(layout);
  const [documentIdColumn, versionColumn, textColumn] = names.map(column) as [Arrow.Vector, Arrow.Vector, Arrow.Vector];
  const score = column(scoreColumn);
  const hits: StoreHit[] = [];
  if (layout === "columns") {
    const [start, end, page, sectionPath, ordinal] = names.slice(3).map(column) as Arrow.Vector[];
    for (let i = 0; i < table.numRows; i++) {
      const documentId = String(documentIdColumn.get(i));
      const version = String(versionColumn.get(i));
      const owner = ownerOf(documentId);
      if (owner?.version !== version) continue;
      const stored = textColumn.get(i) as unknown;
      const chunk = new StoredChunk(documentId, version, owner.matter, owner.type, Number(start!.get(i)), Number(end!.get(i)), Number(page!.get(i)), Number(ordinal!.get(i)), {
        text: () => fields.open(stored, documentId),
        sectionPath: String(sectionPath!.get(i)),
        fields,
      });
      hits.push({ chunk, score: scoreOf(Number(score.get(i))) });
    }
    return hits;
  }
  const placeColumn = column("place");
  for (let i = 0; i < table.numRows; i++) {
    const documentId = String(documentIdColumn.get(i));
    const version = String(versionColumn.get(i));
    const owner = ownerOf(documentId);
    if (owner?.version !== version) continue;
    const place = parsePlace(String(placeColumn.get(i)));
    const stored = String(textColumn.get(i));
    const text = layout === "terms" ? () => fields.open(stored, documentId) : () => stored.slice(stored.length - place.chars);
    const chunk = new StoredChunk(documentId, version, owner.matter, owner.type, place.start, place.end, place.page, place.ordinal, { text, sectionPath: place.sectionPath, fields });
    hits.push({ chunk, score: scoreOf(Number(score.get(i))) });
  }
  return hits;
}
