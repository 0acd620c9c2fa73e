import { join } from 'node:path';
import type { ConfigReport } from './config-platforms';
import type { EnvironmentValues } from './config-schema';

/** Which embedding model, and where it is served. */
export type EmbeddingConfig =
  | { provider: 'bedrock'; model: string; region?: string }
  | { provider: 'openai'; model: string; baseUrl: string; apiKey?: string }
  /** The deterministic test embedder (EMBEDDING_MODEL=test): for tests only, it knows no meaning. */
  | { provider: 'test'; model: 'test' };

/** The Bedrock rerank model (RERANK_MODEL) and its region. */
export interface RerankConfig {
  /** `cohere.rerank-v3-5:0`, `amazon.rerank-v1:0`, or a full model ARN. */
  model: string;
  /** The AWS region (part of the model ARN). */
  region: string;
}

/** The knowledge base's settings. */
export interface KnowledgeConfig {
  /** The knowledge folder indexed at start and kept in sync (KNOWLEDGE_DIR); none when unset. */
  folder?: string;
  /** Where the index lives (KNOWLEDGE_URI, else `<DATA_DIR>/knowledge`). */
  uri: string;
  /** The engine (KNOWLEDGE_ENGINE). */
  engine: 'lancedb' | 'opensearch';
  /** The OpenSearch cluster (OPENSEARCH_URL), with KNOWLEDGE_ENGINE=opensearch. */
  opensearchUrl?: string;
  /** Seconds between two passes of the folder sync (KNOWLEDGE_RESCAN_SECONDS). */
  rescanSeconds: number;
  /** The embedding model (EMBEDDING_MODEL); unset, the index is keyword-only. */
  embedding?: EmbeddingConfig;
  /** The rerank model (RERANK_MODEL); unset, excerpts keep the index's order. */
  rerank?: RerankConfig;
}

/** Whether a model id names one of the Bedrock embedding models Deskmate speaks. */
const bedrockEmbeddingPattern = /^(amazon\.titan-embed-text-v2|cohere\.embed-(multilingual|english)-v3)/;

/** The embedding settings, reporting what is missing with its fix. */
function embeddingConfigFrom(
  values: EnvironmentValues,
  report: ConfigReport,
  awsRegion: string | undefined,
): EmbeddingConfig | undefined {
  const model = values.EMBEDDING_MODEL;
  if (!model) {
    report.need(
      'EMBEDDING_MODEL',
      !values.EMBEDDING_PROVIDER && !values.EMBEDDING_BASE_URL,
      'is required with EMBEDDING_PROVIDER or EMBEDDING_BASE_URL. Fix: e.g. EMBEDDING_MODEL=cohere.embed-multilingual-v3 (Bedrock) or EMBEDDING_MODEL=bge-m3, or unset them for keyword-only search.',
    );
    return undefined;
  }
  if (model === 'test') {
    report.warn(
      'EMBEDDING_MODEL',
      'is test: the deterministic test embedder knows spelling, not meaning. Fix: for real use set a model, e.g. EMBEDDING_MODEL=cohere.embed-multilingual-v3 or EMBEDDING_MODEL=bge-m3.',
    );
    return { provider: 'test', model: 'test' };
  }
  const provider = values.EMBEDDING_PROVIDER ?? (/^(amazon|cohere)\./.test(model) ? 'bedrock' : 'openai');
  if (provider === 'bedrock') {
    report.need(
      'EMBEDDING_MODEL',
      bedrockEmbeddingPattern.test(model),
      `"${model}" is not a Bedrock embedding model Deskmate reads. Fix: EMBEDDING_MODEL=amazon.titan-embed-text-v2:0 or EMBEDDING_MODEL=cohere.embed-multilingual-v3 (Chinese and English).`,
    );
    report.need(
      'AWS_REGION',
      awsRegion,
      'is required for Bedrock embeddings. Fix: e.g. AWS_REGION=us-east-1, or use an OpenAI-compatible endpoint (EMBEDDING_MODEL=bge-m3 with EMBEDDING_BASE_URL).',
    );
    return { provider, model, region: awsRegion };
  }
  const baseUrl = values.EMBEDDING_BASE_URL ?? values.OPENAI_BASE_URL;
  report.need(
    'EMBEDDING_BASE_URL',
    baseUrl,
    `is required for EMBEDDING_MODEL=${model} (an OpenAI-compatible /embeddings endpoint). Fix: set EMBEDDING_BASE_URL (e.g. http://127.0.0.1:11434/v1 for Ollama), or OPENAI_BASE_URL to use the chat model's endpoint.`,
  );
  // The chat endpoint's key goes only to the chat endpoint: another host gets EMBEDDING_API_KEY or nothing.
  const apiKey = values.EMBEDDING_API_KEY ?? (values.EMBEDDING_BASE_URL ? undefined : values.OPENAI_API_KEY);
  return { provider: 'openai', model, baseUrl: baseUrl ?? '', ...(apiKey ? { apiKey } : {}) };
}

/** The Bedrock rerank models Deskmate speaks, by id or full foundation-model ARN. */
const bedrockRerankPattern =
  /^(arn:aws[a-z-]*:bedrock:[a-z0-9-]+::foundation-model\/)?(cohere\.rerank-v3-5|amazon\.rerank-v1)(:\d+)?$/;

/** The rerank settings, reporting what is wrong with its fix. */
function rerankConfigFrom(
  values: EnvironmentValues,
  report: ConfigReport,
  awsRegion: string | undefined,
): RerankConfig | undefined {
  const model = values.RERANK_MODEL;
  if (!model) return undefined;
  report.need(
    'RERANK_MODEL',
    bedrockRerankPattern.test(model),
    `"${model}" is not a Bedrock rerank model Deskmate reads. Fix: RERANK_MODEL=cohere.rerank-v3-5:0 or RERANK_MODEL=amazon.rerank-v1:0, or unset it to keep the index's order.`,
  );
  report.need(
    'AWS_REGION',
    awsRegion,
    'is required for Bedrock reranking (RERANK_MODEL). Fix: e.g. AWS_REGION=us-west-2 (a region that offers the rerank model), or unset RERANK_MODEL.',
  );
  return { model, region: awsRegion ?? '' };
}

/** The knowledge settings: folder, index location, engine, embedding and rerank models. */
export function knowledgeConfigFrom(
  values: EnvironmentValues,
  report: ConfigReport,
  awsRegion: string | undefined,
): KnowledgeConfig {
  const embedding = embeddingConfigFrom(values, report, awsRegion);
  const rerank = rerankConfigFrom(values, report, awsRegion);
  if (values.KNOWLEDGE_ENGINE === 'opensearch') {
    report.need(
      'OPENSEARCH_URL',
      values.OPENSEARCH_URL,
      'is required with KNOWLEDGE_ENGINE=opensearch. Fix: e.g. OPENSEARCH_URL=https://user:password@search.internal:9200, or unset KNOWLEDGE_ENGINE for the embedded index.',
    );
  }
  return {
    ...(values.KNOWLEDGE_DIR ? { folder: values.KNOWLEDGE_DIR } : {}),
    uri: values.KNOWLEDGE_URI ?? join(values.DATA_DIR ?? './data', 'knowledge'),
    engine: values.KNOWLEDGE_ENGINE ?? 'lancedb',
    ...(values.KNOWLEDGE_ENGINE === 'opensearch' && values.OPENSEARCH_URL
      ? { opensearchUrl: values.OPENSEARCH_URL }
      : {}),
    rescanSeconds: values.KNOWLEDGE_RESCAN_SECONDS,
    ...(embedding ? { embedding } : {}),
    ...(rerank ? { rerank } : {}),
  };
}
