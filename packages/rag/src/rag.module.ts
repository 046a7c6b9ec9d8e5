import { AuditSink, bearToken, Cache, ContentCipher, DocumentKeyring, Embedder, EventBus, Llm, Logger, Retriever, Scrubber, WriterGate } from "@bear/core";
import { ContainerModule } from "inversify";
import { parseRagConfig, RagConfig, type RagConfigInput } from "./rag-config";
import { RagEngine } from "./rag-engine";
import { DocumentPreparerToken, type DocumentPreparer } from "./ingest/prepared-document";

/** DI token of the RagEngine singleton (the class has an async factory, not a public constructor). */
export const RagEngineToken = bearToken("rag", "RagEngine");

/**
 * Binds RagConfig, RagEngineToken → RagEngine (singleton, opened asynchronously: use `container.getAsync`) and
 * core's Retriever. Optional collaborators come from the container when bound: Embedder (else
 * lexical-only), Llm (else extractive answers), Scrubber, ContentCipher (else the index is stored
 * in plain text), Cache (else the engine's own), WriterGate (a cluster's cross-machine writer lock), DocumentPreparerToken (a cluster's workers prepare new files), AuditSink, Logger, EventBus. `documentIdKey` (a workspace secret) keys document ids.
 */
export interface RagModuleOptions {
  /** Scrub PII before indexing with the bound Scrubber (default true; false leaves the Scrubber to other packages). */
  readonly scrubOnIngest?: boolean;
}

export function ragModule(config: RagConfigInput & { readonly documentIdKey?: Uint8Array }, options: RagModuleOptions = {}): ContainerModule {
  const scrubOnIngest = options.scrubOnIngest ?? true;
  // The id key is a secret: it goes to the engine, never into the (printable) RagConfig.
  const { documentIdKey, ...rest } = config;
  const parsed = parseRagConfig(rest);
  return new ContainerModule(({ bind }) => {
    bind<RagConfig>(RagConfig).toConstantValue(parsed);
    bind<RagEngine>(RagEngineToken)
      .toDynamicValue(async (ctx) => {
        const embedder = ctx.get<Embedder>(Embedder, { optional: true });
        const llm = ctx.get<Llm>(Llm, { optional: true });
        const scrubber = scrubOnIngest ? ctx.get<Scrubber>(Scrubber, { optional: true }) : undefined;
        const audit = ctx.get<AuditSink>(AuditSink, { optional: true });
        const logger = ctx.get<Logger>(Logger, { optional: true });
        const events = ctx.get<EventBus>(EventBus, { optional: true });
        const cipher = ctx.get<ContentCipher>(ContentCipher, { optional: true });
        const keyring = ctx.get<DocumentKeyring>(DocumentKeyring, { optional: true });
        const cache = ctx.get<Cache>(Cache, { optional: true });
        const writerGate = ctx.get<WriterGate>(WriterGate, { optional: true });
        const preparer = ctx.get<DocumentPreparer>(DocumentPreparerToken, { optional: true });
        return RagEngine.open({
          ...ctx.get<RagConfig>(RagConfig),
          ...(embedder ? { embedder } : {}),
          ...(llm ? { llm } : {}),
          ...(scrubber ? { scrubber } : {}),
          ...(audit ? { audit } : {}),
          ...(logger ? { logger } : {}),
          ...(events ? { events } : {}),
          ...(cipher ? { cipher } : {}),
          ...(keyring ? { keyring } : {}),
          ...(cache ? { cache } : {}),
          ...(writerGate ? { writerGate } : {}),
          ...(preparer ? { preparer } : {}),
          ...(documentIdKey ? { documentIdKey } : {}),
        });
      })
      .inSingletonScope()
      // on the binding: inversify awaits a binding's async deactivation, not a module-level one (see core's disposeContainer)
      .onDeactivation((engine) => engine.dispose());
    bind<Retriever>(Retriever).toService(RagEngineToken);
  });
}
