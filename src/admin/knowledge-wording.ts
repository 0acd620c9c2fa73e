import type { KnowledgeOrigin } from '../core/knowledge-index';

/** Platform names as people say them. */
const platformNames: Record<string, { en: string; zh: string }> = {
  slack: { en: 'Slack', zh: 'Slack' },
  lark: { en: 'Lark', zh: '飞书' },
  console: { en: 'console', zh: '控制台' },
};

function platformName(platform: string, language: 'en' | 'zh'): string {
  return platformNames[platform]?.[language] ?? platform;
}

/**
 * Chinese words joined as Chinese is written: no space between two Chinese words (`由控制台用户`), a space
 * where Chinese meets a Latin word or a number (`Slack 用户 U01`).
 */
export function joinChinese(...parts: string[]): string {
  const han = /\p{Script=Han}/u;
  return parts
    .filter((part) => part !== '')
    .reduce((joined, part) => {
      if (!joined) return part;
      const touching = han.test(joined.at(-1) ?? '') && han.test(part[0] ?? '');
      return touching ? `${joined}${part}` : `${joined} ${part}`;
    }, '');
}

/** A user principal (`user:<platform>:<workspace>:<user>`) as `Slack user U01` / `飞书用户 ou_1`. */
function personIn(language: 'en' | 'zh', principal: string): string {
  const [, platform, , id] = principal.split(':');
  return language === 'en'
    ? `${platformName(platform, 'en')} user ${id}`
    : joinChinese(platformName(platform, 'zh'), '用户', id);
}

const english = {
  title: 'Knowledge',
  notConfigured: 'No knowledge base is configured in this process.',
  nothingYet: 'The knowledge base is empty and no knowledge folder is set.',
  unreadable:
    'The knowledge index could not be read just now (the logs say why). Check KNOWLEDGE_URI or OPENSEARCH_URL and that this process may read there, then reload.',
  howToTurnOn:
    'To turn it on, set KNOWLEDGE_DIR to a folder of documents (Markdown, text, HTML, Word, PDF) and restart: Deskmate indexes it and keeps it in step. People can also add files in chat with “kb add” (in reply to a file, or with a link).',
  emptyIndex:
    'The knowledge base is empty. Put documents in the knowledge folder (KNOWLEDGE_DIR), or add files in chat with “kb add”.',
  engine: 'Engine',
  search: 'Search',
  keywordOnly: 'keyword only',
  withEmbeddings: 'keyword and embeddings',
  sources: 'Sources',
  chunks: 'Chunks',
  feedback: 'Feedback',
  lastSync: 'Knowledge folder',
  folderNotSet: 'not set (KNOWLEDGE_DIR)',
  neverSynced: 'no pass recorded yet',
  folderMissing: (at: string) => `could not be read at ${at}: nothing was changed`,
  synced: (at: string) => `synced ${at}`,
  syncing: (finished: number, jobs: number, since: string) =>
    `indexing: ${finished} of ${jobs} file${jobs === 1 ? '' : 's'} (pass started ${since}; reload to follow)`,
  syncFound: (files: number, indexed: number, unchanged: number, removed: number, failed: number) =>
    `${files} file${files === 1 ? '' : 's'} found: ${indexed} indexed, ${unchanged} unchanged, ${removed} removed, ${failed} unreadable`,
  accessProblems: (count: number) =>
    `${count} folder${count === 1 ? '' : 's'} left out for a broken access.json (see the logs)`,
  webRole:
    'This process runs the web role only: it reads the index the jobs processes write at the same KNOWLEDGE_URI (a few seconds behind), and the folder’s last sync and the feedback from Redis. It cannot forget sources: use “kb forget” in chat, or a console of a process with DESKMATE_ROLE=all.',
  sourceTitle: 'Title',
  origin: 'Origin',
  readers: 'Who may read it',
  indexedAt: 'Indexed',
  votes: 'Feedback',
  action: '',
  origins: {
    folder: 'Knowledge folder',
    shared_file: 'Shared file',
    linked_document: 'Linked document',
  } satisfies Record<KnowledgeOrigin, string>,
  addedBy: (who: string) => `added by ${who}`,
  forget: 'Forget',
  confirmTitle: 'Forget a source',
  confirmQuestion: (title: string) =>
    `Forget “${title}”? Its passages leave the index at once, answers stop citing it, and it comes back only if someone adds it again with kb add.`,
  confirmForget: 'Forget it',
  keep: 'Keep it',
  removeFromFolder: 'Remove the file from the folder to forget it.',
  forgotten: 'The source was forgotten: it is no longer in the index and answers no longer cite it.',
  alreadyGone: 'That source was no longer in the index.',
  folderRefused: 'Files of the knowledge folder cannot be forgotten here: remove the file from the folder.',
  cannotForget: 'This process cannot forget sources (web role only).',
  noVotes: 'no votes yet',
  voteCounts: (up: string, down: string) => `${up} helpful · ${down} not helpful`,
  person: (principal: string) => personIn('en', principal),
  principal(principal: string): string {
    const [kind, platform, workspace, id] = principal.split(':');
    if (kind === 'everyone' && !platform) return 'everyone who may use Deskmate';
    if (kind === 'everyone') return `everyone in ${platformName(platform, 'en')} workspace ${workspace}`;
    if (kind === 'conversation') return `members of ${platformName(platform, 'en')} conversation ${id}`;
    if (kind === 'user') return `only ${personIn('en', principal)}`;
    return principal;
  },
};

/** The knowledge page's words. */
export type KnowledgeWords = typeof english;

const chinese: KnowledgeWords = {
  title: '知识库',
  notConfigured: '此进程未配置知识库。',
  nothingYet: '知识库为空，且未设置知识库文件夹。',
  unreadable:
    '暂时无法读取知识库索引（原因见日志）。请检查 KNOWLEDGE_URI 或 OPENSEARCH_URL 以及此进程是否有读取权限，然后刷新。',
  howToTurnOn:
    '开启方法：将 KNOWLEDGE_DIR 设为存放文档（Markdown、文本、HTML、Word、PDF）的文件夹并重启，Deskmate 会为其建立索引并保持同步。也可以在聊天中用“kb add”（或“知识库 添加”）添加文件（回复某个文件，或附上链接）。',
  emptyIndex: '知识库为空。请把文档放进知识库文件夹（KNOWLEDGE_DIR），或在聊天中用“kb add”添加文件。',
  engine: '引擎',
  search: '检索方式',
  keywordOnly: '仅关键词',
  withEmbeddings: '关键词和向量',
  sources: '数据源',
  chunks: '分块',
  feedback: '反馈',
  lastSync: '知识库文件夹',
  folderNotSet: '未设置（KNOWLEDGE_DIR）',
  neverSynced: '尚无同步记录',
  folderMissing: (at) => `${at} 时无法读取：未做任何更改`,
  synced: (at) => `同步于 ${at}`,
  syncing: (finished, jobs, since) =>
    `正在索引：已完成 ${finished} / ${jobs} 个文件（本轮开始于 ${since}；刷新页面查看进度）`,
  syncFound: (files, indexed, unchanged, removed, failed) =>
    `发现 ${files} 个文件：新建索引 ${indexed} 个，未变 ${unchanged} 个，移除 ${removed} 个，无法读取 ${failed} 个`,
  accessProblems: (count) => `${count} 个文件夹因 access.json 有误而未索引（详见日志）`,
  webRole:
    '此进程仅运行 web 角色：它读取 jobs 进程在同一 KNOWLEDGE_URI 写入的索引（会晚几秒），文件夹的最近同步和反馈来自 Redis。它不能删除数据源：请在聊天中使用“kb forget”，或使用 DESKMATE_ROLE=all 的进程的控制台。',
  sourceTitle: '标题',
  origin: '来源',
  readers: '谁可以读取',
  indexedAt: '索引时间',
  votes: '反馈',
  action: '',
  origins: { folder: '知识库文件夹', shared_file: '分享的文件', linked_document: '链接的文档' },
  addedBy: (who) => joinChinese('由', who, '添加'),
  forget: '删除',
  confirmTitle: '删除数据源',
  confirmQuestion: (title) =>
    `删除“${title}”？它的段落会立即从索引中移除，回答不再引用它；只有再次用“知识库 添加”添加才会回来。`,
  confirmForget: '确认删除',
  keep: '保留',
  removeFromFolder: '请从文件夹中移除该文件来删除它。',
  forgotten: '已删除该数据源：它已不在索引中，回答不会再引用它。',
  alreadyGone: '该数据源已不在索引中。',
  folderRefused: '知识库文件夹中的文件不能在这里删除：请从文件夹中移除该文件。',
  cannotForget: '此进程不能删除数据源（仅 web 角色）。',
  noVotes: '暂无反馈',
  voteCounts: (up, down) => `${up} 有帮助 · ${down} 没帮助`,
  person: (principal) => personIn('zh', principal),
  principal(principal) {
    const [kind, platform, workspace, id] = principal.split(':');
    if (kind === 'everyone' && !platform) return '所有可使用 Deskmate 的人';
    if (kind === 'everyone')
      return joinChinese(platformName(platform, 'zh'), '工作区', workspace, '的所有人');
    if (kind === 'conversation') return joinChinese(platformName(platform, 'zh'), '会话', id, '的成员');
    if (kind === 'user') return joinChinese('仅', personIn('zh', principal));
    return principal;
  },
};

/** The knowledge page's words in each language. */
export const knowledgeWords = { en: english, zh: chinese };
