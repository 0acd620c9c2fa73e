import type { Language } from '../text/language';

/**
 * The codes the audit trail and the playground keep (outcomes, what routed a request, what a skill changed),
 * in words. A page shows the words with the code beside them in `<code>`, so the code can still be searched.
 */
const outcomes: Record<string, Record<Language, string>> = {
  ok: { en: 'answered', zh: '已回答' },
  dropped: { en: 'dropped (over a limit, told once)', zh: '已丢弃（超出限制，已提醒过一次）' },
  refused: { en: 'refused by a limit', zh: '因限制被拒绝' },
  forbidden: { en: 'refused: may not read the source', zh: '被拒绝：无权读取来源' },
  unknown_button: { en: 'stale button', zh: '按钮已失效' },
  invalid_arguments: { en: 'request not understood', zh: '无法理解请求' },
  unreadable: { en: 'attachment not readable', zh: '附件无法读取' },
  throttled: { en: 'model throttled', zh: '模型限流' },
  unavailable: { en: 'model or service unavailable', zh: '模型或服务不可用' },
  timeout: { en: 'timed out', zh: '超时' },
  invalid_request: { en: 'request refused by the model', zh: '模型拒绝了请求' },
  content_filtered: { en: 'blocked by the content filter', zh: '被内容过滤拦截' },
  policy_blocked: { en: 'blocked by policy (guardrail)', zh: '被策略（护栏）拦截' },
  context_too_long: { en: 'too long for the model', zh: '内容超出模型上限' },
  empty_answer: { en: 'the model answered nothing', zh: '模型没有回答' },
  not_configured: { en: 'not configured', zh: '未配置' },
  not_found: { en: 'not found', zh: '未找到' },
  bad_input: { en: 'unusable input', zh: '输入无法使用' },
  platform_error: { en: 'chat platform error', zh: '聊天平台错误' },
  rate_limited: { en: 'rate limited by the platform', zh: '被平台限流' },
  budget_exceeded: { en: 'daily token budget used up', zh: '每日 token 预算已用完' },
  document_too_large: { en: 'file too large', zh: '文件过大' },
  document_zip_bomb: { en: 'file unpacks too large', zh: '文件解压后过大' },
  document_encrypted: { en: 'file encrypted', zh: '文件已加密' },
  document_corrupt: { en: 'file damaged', zh: '文件已损坏' },
  document_empty: { en: 'file has no text', zh: '文件没有文字' },
  document_scanned: { en: 'scanned file (no text layer)', zh: '扫描件（没有文字层）' },
  document_unsupported: { en: 'file type not supported', zh: '不支持的文件类型' },
  document_timeout: { en: 'file took too long to read', zh: '文件读取超时' },
  internal: { en: 'internal error', zh: '内部错误' },
};

const routes: Record<string, Record<Language, string>> = {
  action: { en: 'a button', zh: '按钮' },
  command: { en: 'a slash command', zh: '斜杠命令' },
  command_word: { en: 'a command word', zh: '命令词' },
  conversation: { en: 'the conversation (a reply in a thread)', zh: '对话上下文（话题中的回复）' },
  file: { en: 'a shared file', zh: '分享的文件' },
  model: { en: 'the model', zh: '模型判断' },
  console: { en: 'a console action', zh: '控制台操作' },
};

const effectKinds: Record<string, Record<Language, string>> = {
  todo: { en: 'todo', zh: '待办' },
  task: { en: 'task', zh: '任务' },
  calendar_event: { en: 'calendar event', zh: '日历事件' },
  meeting_invite: { en: 'meeting invite', zh: '会议邀请' },
  knowledge_source: { en: 'knowledge source', zh: '知识库来源' },
};

/** Every outcome code the console knows, answers first (the Audit page's outcome choices). */
export const knownOutcomes: readonly string[] = Object.keys(outcomes);

/** An outcome code in words (the code itself when unknown). */
export function outcomeWords(code: string, language: Language): string {
  return outcomes[code]?.[language] ?? code;
}

/** What routed a request (`command_word`, `model`…) in words. */
export function routeWords(code: string, language: Language): string {
  return routes[code]?.[language] ?? code;
}

/** The kind of thing a skill changed (`meeting_invite`, `todo`…) in words. */
export function effectKindWords(kind: string, language: Language): string {
  return effectKinds[kind]?.[language] ?? kind;
}
