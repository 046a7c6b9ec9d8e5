import fs from "node:fs/promises";
import path from "node:path";
import { ModelFileError } from "../errors";
import { OnnxSessionPool } from "../onnx/onnx-session-pool";
import type { OnnxModelInfo } from "./model-info";

/** Reads an ONNX model's input/output signature (opens and releases a 1-thread session). */
export async function inspectOnnx(filePath: string): Promise<OnnxModelInfo> {
  const name = path.basename(filePath);
  const stat = await fs.stat(filePath).catch((error: NodeJS.ErrnoException) => {
    throw new ModelFileError(name, `cannot stat it (${error.code ?? "error"})`, { cause: error });
  });
  if (stat.size < 16) throw new ModelFileError(name, `it is only ${stat.size} bytes, too short for an ONNX model`);
  const pool = new OnnxSessionPool({ maxSessions: 1 });
  try {
    return await pool.signature(filePath);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^ONNX model '[^']*' failed: /, "") : String(error);
    throw new ModelFileError(name, `onnxruntime cannot read it (${reason})`, { cause: error });
  } finally {
    await pool.dispose();
  }
}
