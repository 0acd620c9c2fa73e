import type { SettingEntry } from './settings-catalog';

const days = 86400;

/** Where Deskmate keeps its files, and how long it keeps what it stores: the first questions of a privacy review. */
export const retentionSettings: readonly SettingEntry[] = [
  {
    variable: 'DATA_DIR',
    group: 'state',
    value: (c) => c.dataDir,
    meaning: {
      en: 'Where Deskmate keeps its own files (the knowledge index lives in DATA_DIR/knowledge unless KNOWLEDGE_URI says otherwise).',
      zh: 'Deskmate 保存自身文件的位置（除非设置 KNOWLEDGE_URI，知识库索引位于 DATA_DIR/knowledge）。',
    },
  },
  {
    variable: 'RETENTION_DAYS',
    group: 'privacy',
    value: (c) => c.retentionCapDays,
    meaning: {
      en: 'Nothing kept with an expiry is kept longer than this many days, whatever the settings below say.',
      zh: '任何带有效期的数据最多保留这么多天，无论下面的设置如何。',
    },
  },
  {
    variable: 'MEMORY_RETENTION_HOURS',
    group: 'privacy',
    value: (c) => c.retention.memorySeconds / 3600,
    meaning: {
      en: 'Hours conversation memory is kept after its last turn (capped by RETENTION_DAYS).',
      zh: '对话记忆在最后一轮后保留的小时数（不超过 RETENTION_DAYS）。',
    },
  },
  {
    variable: 'SUMMARY_RETENTION_DAYS',
    group: 'privacy',
    value: (c) => c.retention.summarySeconds / days,
    meaning: {
      en: 'Days a cached summary (and a file’s summary) is kept.',
      zh: '缓存的摘要（以及文件摘要）保留天数。',
    },
  },
  {
    variable: 'DONE_TODO_RETENTION_DAYS',
    group: 'privacy',
    value: (c) => c.retention.doneTodoSeconds / days,
    meaning: {
      en: 'Days a todo is kept once done (open todos stay until done or deleted).',
      zh: '待办完成后保留的天数（未完成的待办一直保留，直到完成或删除）。',
    },
  },
  {
    variable: 'USAGE_RETENTION_DAYS',
    group: 'privacy',
    value: (c) => c.retention.usageDays,
    meaning: {
      en: 'Days the daily usage records (per workspace and per user) are kept.',
      zh: '每日用量记录（按工作区和用户）保留天数。',
    },
  },
  {
    variable: 'AUDIT_RETENTION_DAYS',
    group: 'privacy',
    value: (c) => c.auditRetentionDays,
    meaning: { en: 'Days the audit trail keeps each request’s record.', zh: '审计记录保留天数。' },
  },
  {
    variable: 'DOCUMENT_MAX_BYTES',
    group: 'limits',
    value: (c) => c.documents.maxBytes,
    meaning: {
      en: 'Largest file or doc Deskmate reads, in bytes.',
      zh: 'Deskmate 读取的最大文件或文档（字节）。',
    },
  },
  {
    variable: 'DOCUMENT_MAX_PAGES',
    group: 'limits',
    value: (c) => c.documents.maxPages,
    meaning: {
      en: 'PDF pages or slides read from one file; past it the answer says so.',
      zh: '每个文件读取的 PDF 页数或幻灯片数；超出时回答会说明。',
    },
  },
  {
    variable: 'DOCUMENT_MAX_UNZIPPED_BYTES',
    group: 'limits',
    value: (c) => c.documents.maxUnzippedBytes,
    meaning: {
      en: 'What a DOCX, PPTX or XLSX may unpack to, in bytes (zip bombs are refused).',
      zh: 'DOCX、PPTX 或 XLSX 解压后的最大字节数（拒绝压缩炸弹）。',
    },
  },
  {
    variable: 'DOCUMENT_MAX_SHEET_ROWS',
    group: 'limits',
    value: (c) => c.documents.maxSheetRows,
    meaning: { en: 'Rows read per sheet (XLSX, CSV).', zh: '每个工作表读取的行数（XLSX、CSV）。' },
  },
  {
    variable: 'DOCUMENT_MAX_CHARACTERS',
    group: 'limits',
    value: (c) => c.documents.maxCharacters,
    meaning: { en: 'Characters of text kept from one file.', zh: '每个文件保留的文本字符数。' },
  },
  {
    variable: 'DOCUMENT_TIMEOUT_MS',
    group: 'limits',
    value: (c) => c.documents.timeoutMilliseconds,
    meaning: {
      en: 'Longest a file may take to download, and again to read (milliseconds).',
      zh: '文件下载、读取各自的最长用时（毫秒）。',
    },
  },
];

/** AWS_DEFAULT_REGION: listed beside AWS_REGION. */
export const awsDefaultRegionSetting: SettingEntry = {
  variable: 'AWS_DEFAULT_REGION',
  group: 'model',
  value: (c) => c.llm.awsDefaultRegion,
  meaning: {
    en: 'The AWS region when AWS_REGION is unset (Bedrock, embeddings, reranking).',
    zh: '未设置 AWS_REGION 时使用的 AWS 区域（Bedrock、向量嵌入、重排序）。',
  },
};
