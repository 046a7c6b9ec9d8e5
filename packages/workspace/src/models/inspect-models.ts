import { coreModule, createContainer, disposeContainer, type BearConfig } from "@bear/core";
import { modelManagerModule, ModelManagerToken, type ModelManager } from "@bear/model-manager";

/**
 * A model manager over some model folders, for checks that need no workspace (`bear doctor`):
 * composed through the same module as a workspace's, and disposed after `fn`.
 */
export async function withModelManager<T>(config: BearConfig, modelDirs: readonly string[], fn: (manager: ModelManager) => Promise<T>): Promise<T> {
  const container = createContainer(
    coreModule({ config }),
    modelManagerModule({ modelDirs: [...modelDirs], ...(config.models.threads ? { threads: config.models.threads } : {}) }),
  );
  try {
    return await fn(container.get<ModelManager>(ModelManagerToken));
  } finally {
    await disposeContainer(container);
  }
}
