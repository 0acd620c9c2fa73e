const english = {
  title: 'Audit',
  intro: (retentionDays: number) =>
    `Every request Deskmate handled: who, where, what ran, at what cost, with what result. Records hold no message text and are kept ${retentionDays} day${retentionDays === 1 ? '' : 's'} (AUDIT_RETENTION_DAYS). Days are UTC.`,
  from: 'From',
  to: 'To',
  platform: 'Platform',
  workspace: 'Workspace',
  requester: 'Requester',
  skill: 'Skill',
  outcome: 'Outcome',
  any: 'any',
  show: 'Show',
  badDate: (field: string, value: string) =>
    `${field} “${value}” is not a date. Write it as yyyy-mm-dd, e.g. 2026-12-01.`,
  reversed: 'The “from” day is after the “to” day. Pick a “from” day on or before the “to” day.',
  clamped: (days: number, from: string) =>
    `Records are kept ${days} day${days === 1 ? '' : 's'}: the range starts at ${from} instead.`,
  summary: (total: number, from: string, to: string) =>
    `${total} request${total === 1 ? '' : 's'} from ${from} to ${to}, newest first.`,
  pageOf: (page: number, pages: number) => `Page ${page} of ${pages}`,
  previous: '← Newer',
  next: 'Older →',
  nothing: 'No request in this range matches.',
  download: 'Download JSON lines (this range and filter, as npm run audit prints it)',
  time: 'Time (UTC)',
  conversation: 'Conversation',
  routedBy: 'routed by',
  models: 'Models',
  tokens: 'Tokens in / out',
  duration: 'Duration',
  effects: 'Effects',
  thread: 'thread',
  kinds: { dm: 'direct', group: 'group' } as Record<string, string>,
  actions: { created: 'created', closed: 'closed', deleted: 'deleted' } as Record<string, string>,
  error: 'error',
  none: '—',
};

/** The audit page's words. */
export type AuditWords = typeof english;

const chinese: AuditWords = {
  title: '审计',
  intro: (retentionDays) =>
    `Deskmate 处理的每个请求：谁、在哪里、运行了什么、花费多少、结果如何。记录不含任何消息内容，保留 ${retentionDays} 天（AUDIT_RETENTION_DAYS）。日期按 UTC 计。`,
  from: '开始日期',
  to: '结束日期',
  platform: '平台',
  workspace: '工作区',
  requester: '请求者',
  skill: '技能',
  outcome: '结果',
  any: '全部',
  show: '显示',
  badDate: (field, value) => `${field}“${value}”不是日期。请写成 yyyy-mm-dd，例如 2026-12-01。`,
  reversed: '开始日期晚于结束日期。请选择不晚于结束日期的开始日期。',
  clamped: (days, from) => `记录只保留 ${days} 天：范围改为从 ${from} 开始。`,
  summary: (total, from, to) => `${from} 至 ${to} 共 ${total} 个请求，最新的在前。`,
  pageOf: (page, pages) => `第 ${page} / ${pages} 页`,
  previous: '← 较新',
  next: '较早 →',
  nothing: '该范围内没有符合条件的请求。',
  download: '下载 JSON lines（此范围与筛选条件，与 npm run audit 输出相同）',
  time: '时间（UTC）',
  conversation: '会话',
  routedBy: '路由方式',
  models: '模型',
  tokens: '输入 / 输出 token',
  duration: '用时',
  effects: '变更',
  thread: '话题',
  kinds: { dm: '私聊', group: '群聊' },
  actions: { created: '创建', closed: '关闭', deleted: '删除' },
  error: '错误',
  none: '—',
};

/** The audit page's words in each language. */
export const auditWords = { en: english, zh: chinese };
