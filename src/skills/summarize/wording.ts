import type { Language } from '../../text/language';

/** The words the summarize skill uses, per language. */
export const wording = {
  en: {
    languageName: 'English',
    headingSummary: 'TL;DR',
    headingKeyPoints: 'Key points',
    headingDecisions: 'Decisions',
    headingActionItems: 'Action items',
    headingOpenQuestions: 'Open questions',
    titleThread: 'Summary of this thread',
    titleChannel: (label: string) => `Summary of this channel, ${label}`,
    titleLinked: 'Summary of the linked conversation',
    titleConsole: 'Summary of this console session',
    reading: (count: string) => `Reading ${count}…`,
    readingStart: 'Reading the conversation…',
    covered: (count: number, first: string, last: string) =>
      `Covers ${count} message${count === 1 ? '' : 's'} (${first} – ${last}).`,
    capped: (limit: number) => `Only the newest ${limit} messages were read; older ones are not covered.`,
    linkNotOpened:
      "I don't open web pages, so the link was not read: this summarizes the conversation. To summarize a page, share it as a file (or a Lark/Feishu doc link).",
    updated: (count: number) => `Updated with ${count} new message${count === 1 ? '' : 's'}.`,
    noNew: 'No new messages since the last summary.',
    empty: (label: string) => `There are no messages to summarize (${label}).`,
    emptyConsole:
      'Nothing to summarize yet: type or paste the conversation first (commands and my answers are left out), then `summarize`.',
    needLink:
      'In a direct message, paste a link to the message or thread you want summarized, e.g. `summarize https://…`.',
    unknownLink: "I couldn't open that link. Paste a link to a message in a channel I'm in.",
    offlineLabel: 'Made without a model (extractive): no language model is configured.',
    offlineRunLabel: 'Made without a model (extractive): an offline run.',
    offlineParticipants: 'Participants',
    offlineMostReplied: 'Most replied to',
    offlineDecisions: 'Looks like decisions',
    offlineActions: 'Looks like action items',
    offlineDates: 'Dates mentioned',
    messages: 'messages',
  },
  zh: {
    languageName: 'Chinese (简体中文)',
    headingSummary: '摘要',
    headingKeyPoints: '要点',
    headingDecisions: '决定',
    headingActionItems: '待办事项',
    headingOpenQuestions: '待解决问题',
    titleThread: '本话题总结',
    titleChannel: (label: string) => `本群总结（${label}）`,
    titleLinked: '所链接会话的总结',
    titleConsole: '本次控制台会话的总结',
    reading: (count: string) => `正在阅读 ${count}…`,
    readingStart: '正在阅读会话…',
    covered: (count: number, first: string, last: string) => `共涵盖 ${count} 条消息（${first} – ${last}）。`,
    capped: (limit: number) => `只读取了最新的 ${limit} 条消息，更早的消息未包含在内。`,
    linkNotOpened:
      '我不会打开网页，所以没有读取这个链接：以下总结的是本会话。要总结网页，请把它作为文件分享（或分享飞书文档链接）。',
    updated: (count: number) => `已根据 ${count} 条新消息更新。`,
    noNew: '自上次总结以来没有新消息。',
    empty: (label: string) => `没有可总结的消息（${label}）。`,
    emptyConsole: '还没有可总结的内容：先输入或粘贴对话内容（命令和我的回答不计入），再发送 `总结`。',
    needLink: '在私聊中，请粘贴要总结的消息或话题的链接，例如 `总结 https://…`。',
    unknownLink: '无法打开该链接。请粘贴我所在群聊中某条消息的链接。',
    offlineLabel: '未使用模型生成（抽取式）：尚未配置语言模型。',
    offlineRunLabel: '未使用模型生成（抽取式）：离线运行。',
    offlineParticipants: '参与者',
    offlineMostReplied: '回复最多',
    offlineDecisions: '疑似决定',
    offlineActions: '疑似待办',
    offlineDates: '提到的日期',
    messages: '条消息',
  },
} satisfies Record<Language, unknown>;

/** The wording for a language. */
export type Wording = (typeof wording)['en'];

/** Prompt variables shared by every summarize prompt. */
export function promptWording(language: Language, requesterName: string): Record<string, string> {
  const words = wording[language];
  return {
    requesterName,
    language: words.languageName,
    headingSummary: words.headingSummary,
    headingKeyPoints: words.headingKeyPoints,
    headingDecisions: words.headingDecisions,
    headingActionItems: words.headingActionItems,
    headingOpenQuestions: words.headingOpenQuestions,
  };
}
