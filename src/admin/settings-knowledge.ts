import type { SettingEntry } from './settings-catalog';

/** A URL with the password of its credentials hidden (`https://user:•••@host`). */
function maskUrlPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^@/]*@/i, '$1•••@');
}

/** The knowledge base's settings as the console shows them: folder, index, engine, embeddings, reranking. */
export const knowledgeSettings: readonly SettingEntry[] = [
  {
    variable: 'KNOWLEDGE_DIR',
    group: 'knowledge',
    value: (c) => c.knowledge.folder,
    meaning: {
      en: 'A folder of documents indexed for knowledge answers and kept in sync (unset: no folder).',
      zh: '用于知识库问答的文档文件夹，会保持同步（未设置：没有文件夹）。',
    },
  },
  {
    variable: 'KNOWLEDGE_RESCAN_SECONDS',
    group: 'knowledge',
    value: (c) => c.knowledge.rescanSeconds,
    meaning: { en: 'How often the knowledge folder is looked through.', zh: '多久检查一次知识库文件夹。' },
  },
  {
    variable: 'KNOWLEDGE_URI',
    group: 'knowledge',
    value: (c) => maskUrlPassword(c.knowledge.uri),
    meaning: {
      en: 'Where the knowledge index lives (DATA_DIR/knowledge by default; object storage lets replicas share it).',
      zh: '知识库索引的位置（默认 DATA_DIR/knowledge；对象存储可让多个副本共用）。',
    },
  },
  {
    variable: 'KNOWLEDGE_ENGINE',
    group: 'knowledge',
    value: (c) => c.knowledge.engine,
    meaning: {
      en: 'The index engine: lancedb (embedded) or opensearch.',
      zh: '索引引擎：lancedb（内嵌）或 opensearch。',
    },
  },
  {
    variable: 'OPENSEARCH_URL',
    group: 'knowledge',
    value: (c) => (c.knowledge.opensearchUrl ? maskUrlPassword(c.knowledge.opensearchUrl) : undefined),
    meaning: {
      en: 'The OpenSearch cluster, with KNOWLEDGE_ENGINE=opensearch.',
      zh: 'OpenSearch 集群（KNOWLEDGE_ENGINE=opensearch 时）。',
    },
  },
  {
    variable: 'EMBEDDING_MODEL',
    group: 'knowledge',
    value: (c) => c.knowledge.embedding?.model,
    meaning: {
      en: 'Lets knowledge search find passages worded differently from the question (unset: keyword only).',
      zh: '让知识库检索找到措辞不同的段落（未设置：仅关键词检索）。',
    },
  },
  {
    variable: 'EMBEDDING_PROVIDER',
    group: 'knowledge',
    value: (c) => (c.knowledge.embedding?.provider === 'test' ? undefined : c.knowledge.embedding?.provider),
    meaning: {
      en: 'Where embeddings are computed: bedrock or openai (unset: inferred from EMBEDDING_MODEL).',
      zh: '向量嵌入的服务：bedrock 或 openai（未设置：由 EMBEDDING_MODEL 推断）。',
    },
  },
  {
    variable: 'EMBEDDING_BASE_URL',
    group: 'knowledge',
    value: (c) => (c.knowledge.embedding?.provider === 'openai' ? c.knowledge.embedding.baseUrl : undefined),
    meaning: { en: 'The OpenAI-compatible endpoint for embeddings.', zh: '用于向量嵌入的 OpenAI 兼容端点。' },
  },
  {
    variable: 'EMBEDDING_API_KEY',
    group: 'knowledge',
    secret: true,
    value: (c) => (c.knowledge.embedding?.provider === 'openai' ? c.knowledge.embedding.apiKey : undefined),
    meaning: { en: 'The key of the embeddings endpoint.', zh: '向量嵌入端点的密钥。' },
  },
  {
    variable: 'RERANK_MODEL',
    group: 'knowledge',
    value: (c) => c.knowledge.rerank?.model,
    meaning: {
      en: "Reorders knowledge search results with Bedrock's rerank model (unset: the index's order).",
      zh: '用 Bedrock 的重排序模型重新排列知识库检索结果（未设置：按索引顺序）。',
    },
  },
];
