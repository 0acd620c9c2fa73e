import type { Language } from '../../text/language';

/** What summarize says about files and documents, per language. */
export const documentWording = {
  en: {
    theFile: 'the file',
    reading: (name: string) => `Reading ${name}…`,
    titleSummary: (name: string) => `Summary of ${name}`,
    titleMinutes: (name: string) => `Minutes of ${name}`,
    fromCache: 'Summarized earlier: the file has not changed since.',
    offline:
      'Made without a model: an outline of the headings and first sentences. A language model would give a real summary (an admin can set LLM_PROVIDER).',
  },
  zh: {
    theFile: '文件',
    reading: (name: string) => `正在阅读 ${name}…`,
    titleSummary: (name: string) => `${name} 的总结`,
    titleMinutes: (name: string) => `${name} 会议纪要`,
    fromCache: '此前已总结过：文件内容没有变化。',
    offline:
      '未使用模型生成：仅列出标题和每部分的第一句话。配置语言模型后可得到真正的总结（管理员可设置 LLM_PROVIDER）。',
  },
} satisfies Record<Language, unknown>;
