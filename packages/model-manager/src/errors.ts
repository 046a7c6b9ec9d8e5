import { BearError, type BearErrorOptions } from "@bear/core";

export type ModelManagerErrorCode =
  | "MODEL_FILE_INVALID"
  | "MODEL_NOT_FOUND"
  | "MODEL_KIND_MISMATCH"
  | "MODEL_INSUFFICIENT_MEMORY"
  | "MODEL_LOAD_FAILED"
  | "GENERATION_FAILED"
  | "EMBEDDING_FAILED"
  | "ONNX_SESSION_FAILED"
  | "DOWNLOAD_FAILED"
  | "DOWNLOAD_CHECKSUM_MISMATCH"
  | "DOWNLOAD_CANCELLED"
  | "REGISTRY_UNREADABLE";

/** The root of every error @bear/model-manager throws on purpose. */
export class ModelManagerError extends BearError<ModelManagerErrorCode> {}

/** A .gguf/.onnx file that cannot be read: bad magic, truncated, unparsable. */
export class ModelFileError extends ModelManagerError {
  constructor(
    readonly filePath: string,
    readonly problem: string,
    options: BearErrorOptions = {},
  ) {
    super("MODEL_FILE_INVALID", `model file '${filePath}' is unusable: ${problem}`, {
      hint: "Re-download the file (bear models pull) or remove it from the model directory.",
      ...options,
      details: { filePath, problem, ...options.details },
    });
  }
}

export class ModelNotFoundError extends ModelManagerError {
  constructor(readonly modelId: string, known: readonly string[]) {
    super("MODEL_NOT_FOUND", `no model with id '${modelId}' in the registry (${known.length} known)`, {
      hint: known.length > 0 ? `Known ids: ${known.slice(0, 8).join(", ")}` : "Put .gguf or .onnx files in a model directory and rescan.",
      details: { modelId },
    });
  }
}

export class ModelKindError extends ModelManagerError {
  constructor(readonly modelId: string, actual: string, wanted: string) {
    super("MODEL_KIND_MISMATCH", `model '${modelId}' is a ${actual} model, not a ${wanted} model`, {
      hint: `Choose a ${wanted} model for this operation.`,
      details: { modelId, actual, wanted },
    });
  }
}

export class InsufficientMemoryError extends ModelManagerError {
  constructor(
    readonly modelId: string,
    readonly neededBytes: number,
    readonly freeBytes: number,
    cause?: unknown,
  ) {
    super(
      "MODEL_INSUFFICIENT_MEMORY",
      `model '${modelId}' needs ${formatBytes(neededBytes)} but only ${formatBytes(freeBytes)} of the memory budget is free`,
      {
        hint: "Unload other models, use a smaller context size or a smaller quantization, or raise models.memoryBudgetMb.",
        details: { modelId, neededBytes, freeBytes },
        cause,
      },
    );
  }
}

export class ModelLoadError extends ModelManagerError {
  constructor(readonly modelId: string, reason: string, cause?: unknown) {
    super("MODEL_LOAD_FAILED", `model '${modelId}' failed to load: ${reason}`, {
      hint: "Check that the file is a complete GGUF supported by this llama.cpp build.",
      details: { modelId },
      cause,
    });
  }
}

export class GenerationError extends ModelManagerError {
  constructor(readonly modelId: string, reason: string, cause?: unknown) {
    super("GENERATION_FAILED", `generation with model '${modelId}' failed: ${reason}`, { details: { modelId }, cause });
  }
}

export class EmbeddingError extends ModelManagerError {
  constructor(readonly modelId: string, reason: string, cause?: unknown) {
    super("EMBEDDING_FAILED", `embedding with model '${modelId}' failed: ${reason}`, { details: { modelId }, cause });
  }
}

export class OnnxSessionError extends ModelManagerError {
  constructor(readonly filePath: string, reason: string, cause?: unknown) {
    super("ONNX_SESSION_FAILED", `ONNX model '${filePath}' failed: ${reason}`, {
      hint: "Check that the file is a valid ONNX model for onnxruntime-node.",
      details: { filePath },
      cause,
    });
  }
}

export class DownloadError extends ModelManagerError {
  constructor(readonly source: string, reason: string, cause?: unknown, hint = "Run the pull again: it resumes from the bytes already received when the server shows the file is unchanged, else it starts over.") {
    super("DOWNLOAD_FAILED", `download of '${source}' failed: ${reason}`, {
      hint,
      details: { source },
      cause,
    });
  }
}

export class ChecksumMismatchError extends ModelManagerError {
  constructor(readonly source: string, readonly expected: string, readonly actual: string) {
    super("DOWNLOAD_CHECKSUM_MISMATCH", `download of '${source}' has sha256 ${actual}, expected ${expected}`, {
      hint: "The file was corrupted or replaced upstream; it was deleted. Check the source and the expected checksum.",
      details: { source, expected, actual },
    });
  }
}

export class DownloadCancelledError extends ModelManagerError {
  constructor(readonly source: string) {
    super("DOWNLOAD_CANCELLED", `download of '${source}' was cancelled; the partial file was removed`, { details: { source } });
  }
}

export class RegistryError extends ModelManagerError {
  constructor(readonly filePath: string, reason: string, cause?: unknown) {
    super("REGISTRY_UNREADABLE", `model registry '${filePath}' is unreadable: ${reason}`, {
      hint: "Delete the registry file; it is rebuilt by the next scan.",
      details: { filePath },
      cause,
    });
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
