import type { Language } from '../../text/language';

/** What knowledge answers and the `kb` commands say, in English and Chinese. */
export const knowledgeWording = {
  en: {
    languageName: 'English',
    notFound: "I couldn't find this in the knowledge base.",
    closest: 'The closest sources you can see here:',
    offlineTitle: 'The passages of the knowledge base that match best:',
    offlineNote:
      'No language model is configured: these are the best matching passages; a model would answer better.',
    fromKnowledge: 'From the knowledge base',
    helpful: '👍',
    unhelpful: '👎',
    feedbackThanks: 'Thanks, noted.',
    feedbackOnlyAsker: 'Only the person who asked can rate this answer.',
    feedbackExpired: 'This answer can no longer be rated.',
    noKnowledge: 'No knowledge base is configured here.',
    emptyBase:
      'The knowledge base is empty, so there is nothing to answer from yet. Add a document with `kb add` (with a file or a doc link), or ask an admin to set KNOWLEDGE_DIR to a folder of documents.',
  },
  zh: {
    languageName: 'Chinese (简体中文)',
    notFound: '知识库里没有找到答案。',
    closest: '你在这里可查看的最接近的来源：',
    offlineTitle: '知识库中最匹配的段落：',
    offlineNote: '未配置语言模型：以下是最匹配的段落；有模型时回答会更好。',
    fromKnowledge: '来自知识库',
    helpful: '👍',
    unhelpful: '👎',
    feedbackThanks: '谢谢，已记录。',
    feedbackOnlyAsker: '只有提问的人可以评价这个回答。',
    feedbackExpired: '这个回答已无法评价。',
    noKnowledge: '这里没有配置知识库。',
    emptyBase:
      '知识库还是空的，暂时没有可依据的内容。用 `知识库 添加`（附文件或文档链接）添加文档，或请管理员把 KNOWLEDGE_DIR 设为一个文档文件夹。',
  },
} satisfies Record<Language, unknown>;
