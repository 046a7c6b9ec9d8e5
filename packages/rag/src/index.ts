// @bear/rag: legal document ingestion, hybrid retrieval on LanceDB, cited answers.

export { RagEngine, type RagEngineOptions, type IndexStats } from "./rag-engine";
export { ragModule, RagEngineToken, type RagModuleOptions } from "./rag.module";
export { RagConfig, ragConfigSchema, parseRagConfig, type RagConfigInput } from "./rag-config";

export {
  RagError,
  ExtractionError,
  ModelError,
  EmbedderMismatchError,
  IndexKeyMismatchError,
  IndexFormatError,
  NoEmbedderError,
  MatterAccessDeniedError,
  StoreError,
  DocumentNotFoundError,
  OcrError,
  type RagErrorCode,
} from "./errors";

export type { IngestOptions, IngestReport, IngestEvent, FileOutcome, FileStatus, OcrOutcome } from "./ingest/ingest-types";
export type { SearchOptions, SearchFilter, SearchHit, Reranker, OcrProvenance } from "./retrieval/search-types";
export type { Answer, AnswerOptions, AnswerStreamEvent, Citation, DroppedCitation } from "./answer/answer-types";
export type { DocumentRecord } from "./store/records";
export { indexWriterHolder } from "./store/lance-index";
export { hasUnfinishedIngest } from "./ingest/unfinished-ingest";
export { DocumentPreparerToken, type DocumentPreparer, type PrepareRequest, type PreparedDocumentJson } from "./ingest/prepared-document";

export { extractDocument, type ExtractedDocument, type ExtractOptions } from "./extraction/extract-document";
export { extractDocumentIsolated, type IsolationOptions } from "./extraction/isolated-extraction";
export { pdfContainment, type PdfContainment, type PdfProcessOptions } from "./extraction/pdf-process/pdf-process-pool";
export type { StallCheck } from "./extraction/pdf-process/job-deadline";
export { formatNoteFor, sniffFormat, type DocumentFormat, type FormatNote } from "./extraction/sniff-format";
export { markdownReaderText, rewriteMarkdownSource, type MarkdownReaderText } from "./extraction/markdown-reader-text";
export { ocrConfigSchema, type OcrConfig, type OcrConfigInput } from "./extraction/ocr/ocr-config";
export { describeOcr, type OcrStatus } from "./extraction/ocr/create-ocr-engine";
export { PageOcr, type OcrPageInfo, type PageFailure, type OcrPageProgress } from "./extraction/ocr/page-ocr";
export type { OcrEngine, OcrEngineId, OcrPageResult } from "./extraction/ocr/ocr-engine";
export type { PageImage, PageImageOptions } from "./extraction/ocr/page-image";
export { LegalChunker, type ChunkerOptions, type ChunkingStrategy, type TextChunk } from "./chunking/legal-chunker";

export { OnnxEmbedder, type OnnxEmbedderOptions, type OnnxPooling } from "./embedding/onnx-embedder";
export { CachedEmbedder } from "./embedding/cached-embedder";
export { WordPieceTokenizer, type WordPieceOptions } from "./embedding/wordpiece-tokenizer";
export { searchTool, type SearchFunction } from "./tools/search-tool";
