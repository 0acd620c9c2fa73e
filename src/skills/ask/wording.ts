import type { Language } from '../../text/language';
import { modelNeeded } from '../../text/messages';

const answering = { en: 'Answering questions about a file', zh: '回答文件相关的问题' };

/** What the ask skill says, in English and Chinese. */
export const askWording = {
  en: {
    languageName: 'English',
    usage:
      'What would you like to know? Ask about a shared file, a doc link, or the knowledge base. For example: `ask what is the Q3 budget?`',
    noFile:
      'I answer from a shared file: share one here (in this thread or our direct chat), or paste a link to a file or doc with your question, then ask again.',
    needsModel: modelNeeded(answering, 'en'),
    reading: (name: string) => `Looking in ${name}…`,
    title: (name: string) => `From ${name}`,
    notFound: (name: string) =>
      `${name} doesn't say: I found nothing in it that answers this question. Try other words, or ask about another file.`,
    partly: (read: number, total: number) =>
      `The file is long: I looked at the ${read} of its ${total} parts that match your question best.`,
    theFile: 'The file',
  },
  zh: {
    languageName: 'Chinese (简体中文)',
    usage: '你想了解什么？可以就分享的文件、文档链接或知识库提问。例如：`问 第三季度预算是多少？`',
    noFile:
      '我根据分享的文件回答问题：请先在此话题或私聊中分享文件，或在问题中粘贴文件或文档链接，然后再问。',
    needsModel: modelNeeded(answering, 'zh'),
    reading: (name: string) => `正在查阅 ${name}…`,
    title: (name: string) => `来自 ${name}`,
    notFound: (name: string) =>
      `${name}中没有这个问题的答案：没有找到能回答它的内容。可以换个说法，或询问其他文件。`,
    partly: (read: number, total: number) =>
      `文件较长：只查阅了与问题最相关的 ${read} 个部分（共 ${total} 个）。`,
    theFile: '该文件',
  },
} satisfies Record<Language, unknown>;
