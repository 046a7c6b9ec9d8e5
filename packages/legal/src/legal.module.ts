import { Llm, Logger } from "@bear/core";
import { ContainerModule } from "inversify";
import { ContractReviewer } from "./contract-reviewer";
import { LegalConfig, legalConfigSchema, type LegalConfigInput } from "./legal-config";

/** DI token of the ContractReviewer service. */
export const ContractReviewerToken = Symbol.for("@bear/legal:ContractReviewer");

/**
 * Binds the parsed LegalConfig and a singleton ContractReviewer. Uses the bound `Llm` (LLM-assisted
 * classification, unless `useLlm: false`) and `Logger` when present; works with neither.
 */
export function legalModule(config: LegalConfigInput = {}): ContainerModule {
  const parsed = legalConfigSchema.parse(config);
  return new ContainerModule(({ bind }) => {
    bind(LegalConfig).toConstantValue(parsed);
    bind(ContractReviewerToken)
      .toDynamicValue((ctx) => {
        const llm = ctx.get<Llm>(Llm, { optional: true });
        const logger = ctx.get<Logger>(Logger, { optional: true });
        return new ContractReviewer({ ...parsed, ...(llm ? { llm } : {}), ...(logger ? { logger } : {}) });
      })
      .inSingletonScope();
  });
}
