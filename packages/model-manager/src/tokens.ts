import { bearToken } from "@bear/core";

/** DI token of the ModelManager instance. */
export const ModelManagerToken = bearToken("model-manager", "ModelManager");
/** DI token: the model id LlamaCppLlm serves (bound by modelManagerModule from config.defaultLlm). */
export const LlmModelId = bearToken("model-manager", "LlmModelId");
/** DI token: the model id LlamaCppEmbedder serves (from config.defaultEmbedder). */
export const EmbedderModelId = bearToken("model-manager", "EmbedderModelId");
/** DI token of the OnnxSessionPool. */
export const OnnxSessionPoolToken = bearToken("model-manager", "OnnxSessionPool");
