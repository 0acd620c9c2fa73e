import type { ErrorCode } from '../core/errors';
import type { Language } from './language';

/** How an admin configures a model, said wherever something needs one. */
const configureModel: Record<Language, string> = {
  en: 'An admin can set LLM_PROVIDER=bedrock (with BEDROCK_MODEL_ID, AWS_REGION and AWS credentials) or LLM_PROVIDER=openai (with OPENAI_BASE_URL and OPENAI_MODEL).',
  zh: '管理员可设置 LLM_PROVIDER=bedrock（以及 BEDROCK_MODEL_ID、AWS_REGION 和 AWS 凭证）或 LLM_PROVIDER=openai（以及 OPENAI_BASE_URL 和 OPENAI_MODEL）。',
};

/** What Deskmate says when a request needs a model and none is configured: what needs one, and what to set. */
export function modelNeeded(what: Record<Language, string>, language: Language): string {
  return language === 'zh'
    ? `${what.zh}需要语言模型，但尚未配置。${configureModel.zh}`
    : `${what.en} needs a language model, and none is configured. ${configureModel.en}`;
}

/** The note under an answer the model's output limit cut short, so nobody sends half a text as whole. */
export const cutShortNote: Record<Language, string> = {
  en: '_(Cut short: the answer reached its length limit. Ask me to go on, or send a shorter text.)_',
  zh: '_（回答达到长度上限，已被截断。可以让我继续，或发送更短的文本。）_',
};

/** What Deskmate says to users when something did not work, per error code and language. */
const failureMessages: Record<ErrorCode, Record<Language, string>> = {
  throttled: {
    en: "I couldn't finish that: the model is busy. Try again in a minute.",
    zh: '没能完成：模型当前繁忙，请一分钟后再试。',
  },
  unavailable: {
    en: "I couldn't finish that: a service I depend on is unavailable. Try again in a minute.",
    zh: '没能完成：依赖的服务暂时不可用，请一分钟后再试。',
  },
  timeout: {
    en: "I couldn't finish that: the model took too long to answer. Try again, or ask for something shorter.",
    zh: '没能完成：模型响应超时。请重试，或把请求缩短一些。',
  },
  invalid_request: {
    en: "I couldn't finish that: the request was not valid for the model.",
    zh: '没能完成：该请求不被模型接受。',
  },
  policy_blocked: {
    en: "I can't answer that: it was blocked by your organization's content policy.",
    zh: '无法回答：该内容被你所在组织的内容策略拦截。',
  },
  content_filtered: {
    en: "I can't help with that: the model's content filter blocked the answer.",
    zh: '无法处理：模型的内容过滤拦截了这次回答。',
  },
  context_too_long: {
    en: "I couldn't finish that: the text is too long for the model. Try a shorter period or thread.",
    zh: '没能完成：内容超出模型的长度上限，请缩短时间范围或选择更短的话题。',
  },
  empty_answer: {
    en: 'The model ended without an answer. Try again, or say it another way.',
    zh: '模型没有给出回答。请重试，或换一种说法。',
  },
  not_configured: {
    en: `No language model is configured, so I couldn't do that; the commands that need none still work (try \`help\`). ${configureModel.en}`,
    zh: `尚未配置语言模型，所以没能完成；不需要模型的命令仍可使用（试试 \`帮助\`）。${configureModel.zh}`,
  },
  forbidden: {
    en: "I can't do that for you: you don't have access to that conversation.",
    zh: '无法为你处理：你没有该会话的访问权限。',
  },
  not_found: { en: "I couldn't find what you asked for.", zh: '没有找到你要的内容。' },
  bad_input: { en: "I didn't understand that. Try `help`.", zh: '没看懂这个请求，试试 `帮助`。' },
  platform_error: {
    en: "I couldn't finish that: the chat platform returned an error. Try again in a minute.",
    zh: '没能完成：聊天平台返回了错误，请一分钟后再试。',
  },
  rate_limited: {
    en: "You're sending requests faster than I can take them. Try again in a minute.",
    zh: '请求太频繁了，请一分钟后再试。',
  },
  budget_exceeded: {
    en: "Today's model budget for this workspace is used up. It resets at midnight UTC.",
    zh: '本工作区今天的模型用量已达上限，将在 UTC 零点重置。',
  },
  document_too_large: {
    en: 'That file is too large for me to read. Share a smaller file or an excerpt.',
    zh: '这个文件太大，无法读取。请分享更小的文件或节选。',
  },
  document_zip_bomb: {
    en: "That file unpacks to far more than its size (it looks like a zip bomb), so I didn't open it.",
    zh: '这个文件解压后远大于其本身（疑似压缩炸弹），因此没有打开。',
  },
  document_encrypted: {
    en: "That file is password-protected, so I can't read it. Share a copy without a password.",
    zh: '这个文件设有密码，无法读取。请分享一份未加密的副本。',
  },
  document_corrupt: {
    en: "That file looks damaged or cut short, so I couldn't read it. Try uploading it again.",
    zh: '这个文件似乎已损坏或不完整，无法读取。请重新上传。',
  },
  document_empty: { en: 'That file has no text in it to read.', zh: '这个文件里没有可读取的文字。' },
  document_scanned: {
    en: 'That file has no text layer (it looks like a scan), so there is no text for me to read. Run it through OCR first.',
    zh: '这个文件没有文字层（看起来是扫描件），没有可读取的文字。请先进行文字识别（OCR）。',
  },
  document_unsupported: {
    en: "I can't read that kind of file. I read PDF, Word, PowerPoint, Excel, CSV, HTML, Markdown, text and VTT/SRT transcripts.",
    zh: '无法读取这种类型的文件。支持 PDF、Word、PowerPoint、Excel、CSV、HTML、Markdown、纯文本以及 VTT/SRT 字幕。',
  },
  document_timeout: {
    en: 'Reading that file took too long, so I stopped. Try a smaller file or an excerpt.',
    zh: '读取这个文件耗时过长，已停止。请尝试更小的文件或节选。',
  },
  internal: {
    en: "Sorry, something went wrong on my side and I couldn't finish that. It has been logged.",
    zh: '抱歉，我这边出错了，没能完成。错误已记录。',
  },
};

/** The polite message for a failure, in the user's language. */
export function failureMessage(code: ErrorCode, language: Language): string {
  return failureMessages[code][language];
}
