import fs from "node:fs/promises";
import path from "node:path";
import { ModelFileError, formatBytes } from "../errors";
import type { GgufModelInfo } from "./model-info";

/** [bytes per block, elements per block] for the ggml tensor types (ggml.c type_traits). */
const GGML_TYPE_SIZES: Readonly<Record<number, readonly [number, number]>> = {
  0: [4, 1], // F32
  1: [2, 1], // F16
  2: [18, 32], // Q4_0
  3: [20, 32], // Q4_1
  6: [22, 32], // Q5_0
  7: [24, 32], // Q5_1
  8: [34, 32], // Q8_0
  9: [36, 32], // Q8_1
  10: [84, 256], // Q2_K
  11: [110, 256], // Q3_K
  12: [144, 256], // Q4_K
  13: [176, 256], // Q5_K
  14: [210, 256], // Q6_K
  15: [292, 256], // Q8_K
  16: [66, 256], // IQ2_XXS
  17: [74, 256], // IQ2_XS
  18: [98, 256], // IQ3_XXS
  19: [50, 256], // IQ1_S
  20: [18, 32], // IQ4_NL
  21: [110, 256], // IQ3_S
  22: [82, 256], // IQ2_S
  23: [136, 256], // IQ4_XS
  24: [1, 1], // I8
  25: [2, 1], // I16
  26: [4, 1], // I32
  27: [8, 1], // I64
  28: [8, 1], // F64
  29: [56, 256], // IQ1_M
  30: [2, 1], // BF16
};

/** Architectures llama.cpp runs as encoders that pool into one vector. */
const EMBEDDING_ARCHITECTURES = new Set(["bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "jina-bert-v3", "t5encoder", "neo-bert", "modern-bert"]);

function tensorBytes(ggmlType: number, dimensions: readonly (number | bigint)[]): number | undefined {
  const size = GGML_TYPE_SIZES[ggmlType];
  if (size === undefined) return undefined;
  const elements = dimensions.reduce<number>((n, d) => n * Number(d), 1);
  return Math.ceil(elements / size[1]) * size[0];
}

function describeParseFailure(error: unknown, fileSize: number): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/magic/i.test(message)) return `not a GGUF file (${message.replace(/[^\x20-\x7e]/g, "?")})`;
  if (/out of range|outside|beyond|end of|RangeError|offset/i.test(message) || error instanceof RangeError) {
    return `the header is truncated or damaged (file is ${formatBytes(fileSize)}): ${message}`;
  }
  return `the GGUF header cannot be parsed: ${message}`;
}

/**
 * Reads a GGUF file's header (metadata and tensor table) without loading any weights, and checks
 * that the file is long enough to hold every tensor it declares. Throws ModelFileError naming the
 * file and the problem.
 */
export async function inspectGguf(filePath: string): Promise<GgufModelInfo> {
  const name = path.basename(filePath);
  let fileSize: number;
  try {
    fileSize = (await fs.stat(filePath)).size;
  } catch (error) {
    throw new ModelFileError(name, `cannot stat it (${(error as NodeJS.ErrnoException).code ?? "error"})`, { cause: error });
  }
  if (fileSize < 24) throw new ModelFileError(name, `it is only ${fileSize} bytes, too short for a GGUF header`);

  const { readGgufFileInfo, GgufFileType, GgmlType } = await import("node-llama-cpp");
  let info: Awaited<ReturnType<typeof readGgufFileInfo>>;
  try {
    info = await readGgufFileInfo(filePath, { readTensorInfo: true, logWarnings: false });
  } catch (error) {
    throw new ModelFileError(name, describeParseFailure(error, fileSize), { cause: error });
  }

  const metadata = info.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
  const general = metadata.general ?? {};
  const architecture = typeof general.architecture === "string" ? general.architecture : undefined;
  if (architecture === undefined) throw new ModelFileError(name, "the header has no general.architecture");
  const arch = (info.architectureMetadata ?? {}) as Record<string, unknown>;
  const tokenizer = (metadata.tokenizer ?? {}) as Record<string, unknown>;
  const ggml = (tokenizer.ggml ?? {}) as Record<string, unknown>;

  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  let parameterCount = 0;
  let expectedBytes = 0;
  const typeCounts = new Map<number, number>();
  for (const tensor of tensors) {
    const elements = tensor.dimensions.reduce<number>((n, d) => n * Number(d), 1);
    parameterCount += elements;
    typeCounts.set(tensor.ggmlType, (typeCounts.get(tensor.ggmlType) ?? 0) + elements);
    const start = Number(tensor.fileOffset);
    const bytes = tensorBytes(tensor.ggmlType, tensor.dimensions);
    expectedBytes = Math.max(expectedBytes, start + (bytes ?? 0));
  }
  if (tensors.length === 0) throw new ModelFileError(name, "the header declares no tensors");
  if (fileSize < expectedBytes) {
    throw new ModelFileError(name, `it is truncated (read ${formatBytes(fileSize)} of ${formatBytes(expectedBytes)} the header declares)`, {
      details: { fileSize, expectedBytes },
    });
  }

  const fileTypeNumber = typeof general.file_type === "number" ? general.file_type : undefined;
  const dominant = [...typeCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const quantization =
    fileTypeNumber !== undefined
      ? ((GgufFileType as unknown as Record<number, string>)[fileTypeNumber] ?? `file_type ${fileTypeNumber}`)
      : dominant !== undefined
        ? (GgmlType as unknown as Record<number, string>)[dominant]
        : undefined;
  const poolingType = typeof arch.pooling_type === "number" ? arch.pooling_type : undefined;
  const tokens = ggml.tokens;
  const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : undefined);

  return {
    format: "gguf",
    kind: EMBEDDING_ARCHITECTURES.has(architecture) || (poolingType !== undefined && poolingType > 0) ? "embedding" : "causal",
    architecture,
    name: typeof general.name === "string" ? general.name : undefined,
    parameterCount,
    quantization,
    contextLength: num(arch.context_length),
    embeddingLength: num(arch.embedding_length),
    layerCount: num(arch.block_count),
    vocabularySize: Array.isArray(tokens) ? tokens.length : undefined,
    chatTemplate: typeof tokenizer.chat_template === "string" ? tokenizer.chat_template : undefined,
    poolingType,
    tensorCount: tensors.length,
    expectedBytes,
    alignment: typeof general.alignment === "number" && general.alignment > 0 ? general.alignment : 32,
  };
}
