export type RetrievalMode = "lexical" | "vector" | "hybrid";

export interface RetrievalFilter {
  readonly matters?: readonly string[];
  readonly documentIds?: readonly string[];
  readonly documentTypes?: readonly string[];
}

export interface RetrieveOptions {
  readonly k?: number;
  readonly mode?: RetrievalMode;
  readonly filter?: RetrievalFilter;
  readonly signal?: AbortSignal;
}

/** A passage with exact character offsets into its document's extracted text. */
export interface RetrievedPassage {
  readonly chunkId: string;
  readonly documentId: string;
  readonly text: string;
  readonly score: number;
  /** Inclusive start, exclusive end: character offsets into the document's extracted text. */
  readonly start: number;
  readonly end: number;
  readonly page?: number;
  readonly sectionPath?: readonly string[];
  readonly matter?: string;
  readonly title?: string;
}

/** Finds passages for a query. Implemented by @bear/rag; consumed by agents. */
export const Retriever = Symbol.for("@bear/core:Retriever");
export interface Retriever {
  retrieve(query: string, options?: RetrieveOptions): Promise<RetrievedPassage[]>;
}
