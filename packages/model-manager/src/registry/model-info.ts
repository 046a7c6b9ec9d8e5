/** What a model is for, as far as its file tells. */
export type ModelKind = "causal" | "embedding" | "onnx";

export interface GgufModelInfo {
  readonly format: "gguf";
  readonly kind: "causal" | "embedding";
  readonly architecture: string;
  readonly name: string | undefined;
  readonly parameterCount: number;
  /** The file type from `general.file_type` (e.g. "MOSTLY_Q4_K_M"), else the dominant tensor type. */
  readonly quantization: string | undefined;
  readonly contextLength: number | undefined;
  readonly embeddingLength: number | undefined;
  readonly layerCount: number | undefined;
  readonly vocabularySize: number | undefined;
  readonly chatTemplate: string | undefined;
  readonly poolingType: number | undefined;
  readonly tensorCount: number;
  /** The smallest file size that holds every tensor the header declares. */
  readonly expectedBytes: number;
  /** Tensor data alignment (general.alignment, 32 by default): a writer may pad the file's end up to it. */
  readonly alignment: number;
}

export interface OnnxTensorSignature {
  readonly name: string;
  readonly type: string | undefined;
  /** Dimensions; symbolic ones (e.g. "batch") as strings. */
  readonly shape: readonly (number | string)[] | undefined;
}

export interface OnnxModelInfo {
  readonly format: "onnx";
  readonly kind: "onnx";
  readonly inputs: readonly OnnxTensorSignature[];
  readonly outputs: readonly OnnxTensorSignature[];
}

export type ModelFileInfo = GgufModelInfo | OnnxModelInfo;
