/** What the assistant panel suggests when a thread opens, in English and Chinese (Slack shows up to four). */
export const suggestedPrompts = {
  title: 'Try one of these · 试试这些',
  prompts: [
    { title: 'What can you do?', message: 'help' },
    { title: '你能做什么？', message: '帮助' },
    {
      title: 'Draft a message',
      message: 'draft a friendly reminder that the weekly report is due on Friday',
    },
    { title: '起草一条消息', message: '起草 一条提醒大家周五前提交周报的消息' },
  ],
};

/** The suggested prompts when the panel opens beside a channel: summarizing it comes first. */
export const suggestedPromptsWhileViewing = {
  title: suggestedPrompts.title,
  prompts: [
    { title: 'Summarize this channel', message: 'summarize this channel' },
    { title: '总结这个频道', message: '总结' },
    ...suggestedPrompts.prompts.slice(0, 2),
  ],
};

/** The status shown in an assistant thread while Deskmate works on a message. */
export const workingStatus = 'is thinking…';

/** What a slash command answers (privately) when the queue cannot take it, in the asker's language. */
export const unavailableText = {
  en: "I can't take requests right now: my job queue is unavailable. Please try again in a minute.",
  zh: '暂时无法接收请求：任务队列不可用，请一分钟后再试。',
};

/** The note that ends an answer too long for one Slack message, in the answer's language. */
export const cutNote = {
  en: '…the answer was cut here: it is longer than one Slack message can hold.',
  zh: '……回答到此被截断：内容超出了一条 Slack 消息的长度。',
};

/** What a slash command's acknowledgement says (only the person sees it), in the asker's language. */
export const workingText = {
  en: 'Working on it… only you will see the answer.',
  zh: '正在处理…回答只有你能看到。',
};

/**
 * The acknowledgement in a direct message: it may be the person's own with Deskmate, answered in the open
 * (the job side tells), so it promises nothing about who sees the answer.
 */
export const workingTextInDirectMessage = { en: 'Working on it…', zh: '正在处理…' };

/** The label before an answer's sources, in the answer's language. */
export const sourcesLabel = { en: 'Sources:', zh: '来源：' };

/** The line under a private answer naming its file, which was sent in the person's direct message with Deskmate. */
export const fileInDirectMessage = {
  en: (name: string) => `${name}: sent to you in a direct message from Deskmate`,
  zh: (name: string) => `${name}：已通过与 Deskmate 的私信发送给你`,
};
