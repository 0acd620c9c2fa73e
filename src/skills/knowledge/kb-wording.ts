import type { Language } from '../../text/language';

/** What the `kb` / `知识库` commands say, in English and Chinese. */
export const kbWording = {
  en: {
    usage:
      'Knowledge base commands: `kb add` (in reply to a file, with a file, or with a file or doc link), `kb list`, `kb forget <n>`, `kb status`, `kb search <words>`. Ask with `ask <question>`.',
    searchUsage:
      'What should I look up? For example: `kb search travel budget`, or ask: `ask what is the travel budget?`',
    noKnowledge: 'No knowledge base is configured here: set it up first (see the README, "Knowledge base").',
    nothingToAdd: 'Which file? Send `kb add` with a file, in reply to one, or with a link to a file or doc.',
    webLinkNotAdded:
      "I don't fetch web pages: `kb add` takes a file shared here, or a link to a shared file or a Lark/Feishu doc. Save the page as a file (PDF or HTML) and share it with `kb add`.",
    indexing: (name: string) => `Indexing ${name}…`,
    indexingMany: (done: number, total: number) => `Indexed ${done} of ${total} files…`,
    added: (name: string, sections: number) =>
      `Added ${name}: ${sections} section${sections === 1 ? '' : 's'}.`,
    already: (name: string) => `${name} is already in the knowledge base (this version).`,
    empty: (name: string) => `${name} has no text to add.`,
    addedMany: (done: number, total: number) => `Indexed ${done} of ${total} files.`,
    listTitle: 'Knowledge sources you can see here:',
    listEmpty: 'No knowledge sources you can see here yet. Add one with `kb add`.',
    folder: 'folder',
    addedByYou: 'added by you',
    noSuchNumber: (number: number) => `There is no source ${number} here: see \`kb list\`.`,
    forgetUsage: 'Which source? Say `kb forget <n>` with a number from `kb list`.',
    folderForget: (title: string) =>
      `${title} comes from the knowledge folder: it can't be forgotten from chat. Remove it from the folder (KNOWLEDGE_DIR) instead.`,
    notYours: (title: string) => `Only the person who added ${title} can forget it.`,
    forgotten: (title: string) => `Forgotten: ${title}. Answers no longer use it.`,
    status: (engine: string, sources: number, chunks: number, vectors: boolean, visible: number) =>
      `Knowledge base: ${engine}, ${sources} source${sources === 1 ? '' : 's'}, ${chunks} chunk${chunks === 1 ? '' : 's'}, ${vectors ? 'with embeddings' : 'keyword search only'}. You can see ${visible} here.`,
    folderIndexing: (finished: number, jobs: number) =>
      `The knowledge folder is being indexed: ${finished} of ${jobs} file${jobs === 1 ? '' : 's'} done.`,
    proposeAdd: (count: number) => `Add ${count} file${count === 1 ? '' : 's'} to the knowledge base?`,
    proposeForget: (title: string) => `Forget ${title} from the knowledge base?`,
    confirmAdd: 'Add',
    confirmForget: 'Forget',
    cancel: 'Cancel',
    cancelled: 'Cancelled: nothing changed.',
    alreadyDone: 'That was done already.',
  },
  zh: {
    usage:
      '知识库命令：`知识库 添加`（回复文件、附带文件或文件/文档链接）、`知识库 列表`、`知识库 删除 <编号>`、`知识库 状态`、`知识库 搜索 <关键词>`。提问请用 `问 <问题>`。',
    searchUsage: '要查什么？例如：`知识库 搜索 差旅预算`，或直接提问：`问 差旅预算是多少？`',
    noKnowledge: '这里没有配置知识库：请先设置（见 README 的 “Knowledge base”）。',
    nothingToAdd: '要添加哪个文件？请附带文件、回复文件，或附上文件/文档链接后发送 `知识库 添加`。',
    webLinkNotAdded:
      '我不会抓取网页：`知识库 添加` 只接受这里分享的文件，或已分享文件、飞书文档的链接。请把网页另存为文件（PDF 或 HTML）后用 `知识库 添加` 分享。',
    indexing: (name: string) => `正在索引 ${name}…`,
    indexingMany: (done: number, total: number) => `已索引 ${done}/${total} 个文件…`,
    added: (name: string, sections: number) => `已添加 ${name}：${sections} 个部分。`,
    already: (name: string) => `${name} 已在知识库中（同一版本）。`,
    empty: (name: string) => `${name} 没有可添加的文字。`,
    addedMany: (done: number, total: number) => `已索引 ${done}/${total} 个文件。`,
    listTitle: '你在这里可查看的知识来源：',
    listEmpty: '这里还没有你可查看的知识来源。可用 `知识库 添加` 添加。',
    folder: '文件夹',
    addedByYou: '由你添加',
    noSuchNumber: (number: number) => `这里没有第 ${number} 个来源：请看 \`知识库 列表\`。`,
    forgetUsage: '要删除哪个来源？请用 `知识库 删除 <编号>`，编号见 `知识库 列表`。',
    folderForget: (title: string) =>
      `${title} 来自知识库文件夹，不能在聊天中删除。请从文件夹（KNOWLEDGE_DIR）中移除。`,
    notYours: (title: string) => `只有添加 ${title} 的人可以删除它。`,
    forgotten: (title: string) => `已删除：${title}。回答不会再使用它。`,
    status: (engine: string, sources: number, chunks: number, vectors: boolean, visible: number) =>
      `知识库：${engine}，${sources} 个来源，${chunks} 个片段，${vectors ? '带向量检索' : '仅关键词检索'}。你在这里可查看 ${visible} 个。`,
    folderIndexing: (finished: number, jobs: number) =>
      `知识库文件夹正在索引：已完成 ${finished} / ${jobs} 个文件。`,
    proposeAdd: (count: number) => `将 ${count} 个文件添加到知识库？`,
    proposeForget: (title: string) => `从知识库删除 ${title}？`,
    confirmAdd: '添加',
    confirmForget: '删除',
    cancel: '取消',
    cancelled: '已取消，未做任何更改。',
    alreadyDone: '已经处理过了。',
  },
} satisfies Record<Language, unknown>;
