// Words of the console's frame, forms and charts that came with the narrow layout and form fixes; every other
// text is in wording.ts (and its page files). English first, then the Chinese with the same keys.

const english = {
  /** The navigation's name for screen readers. */
  navigationLabel: 'Console pages',
  /** Under the overview's chart: the zone of its times. */
  timesInUtc: 'Times in UTC',
  /** The usage breakdown picker's label (the section's heading already says "Breakdown"). */
  groupBy: 'Group by',
  /** The usage breakdown picker's button. */
  showBreakdown: 'Show',
  /** The 404 page. */
  notFoundTitle: 'Page not found',
  notFoundBody: 'There is no console page at this address.',
  backToOverview: 'Back to the overview',
  /** The audit page when the filters match nothing. */
  /** Sign-in: attempts left before the address is locked out for a while. */
  attemptsLeft: (count: number) =>
    `${count} more wrong attempt${count === 1 ? '' : 's'} and sign-in from your address is paused for a while.`,
  /** The knowledge page after Forget: which source went. */
  forgotten: (name: string) => `“${name}” was forgotten: its passages no longer appear in answers.`,
};

/** The frame's and forms' words in one language. */
export type UiWords = typeof english;

const chinese: UiWords = {
  navigationLabel: '控制台页面',
  timesInUtc: '时间为 UTC',
  groupBy: '分组方式',
  showBreakdown: '显示',
  notFoundTitle: '页面不存在',
  notFoundBody: '这个地址没有控制台页面。',
  backToOverview: '返回概览',
  attemptsLeft: (count) => `再输错 ${count} 次，你的地址将暂时无法登录。`,
  forgotten: (name) => `已忘记“${name}”：回答中不会再出现其中的内容。`,
};

/** The frame's and forms' words, by language. */
export const uiWords = { en: english, zh: chinese };
