import { modelNeeded } from '../../text/messages';

const findingActionItems = { en: 'Finding action items', zh: '提取待办' };

/** What the todo skill says, in English and Chinese. */
export const todoWording = {
  en: {
    channelTitle: 'Todos in this channel',
    mineTitle: 'Your todos',
    none: 'No open todos. Add one with `todo add Send the report by Friday @alice`.',
    open: (count: number) => `${count} open`,
    due: 'due',
    doneLabel: (number: number) => `Done #${number}`,
    added: (number: number) => `Added todo #${number}`,
    overdue:
      'Its due time has already passed, so it is overdue from the start. Close it or add it again with a later date.',
    alreadyAdded: (number: number) => `Todo #${number} was already added`,
    moreThanButtons: (count: number) =>
      `_The buttons are for the first ${count}; close any other with \`todo done <number>\`._`,
    listHint: (number: number) =>
      `Meant to see your todos? \`todo list\` shows them, and \`todo done ${number}\` closes this one.`,
    markedDone: (number: number, text: string) => `✅ Todo #${number} done: ${text}`,
    alreadyDone: (number: number) => `Todo #${number} was already done.`,
    notFound: (number: number) => `There is no todo #${number} here. \`todo list\` shows the open ones.`,
    missingText: 'What should the todo say? For example: `todo add Send the weekly report by Friday @alice`.',
    doneUsage:
      'Which todo? Give its number: `todo done 3` (or several: `todo done 3 4`). `todo list` shows the numbers.',
    deleteUsage: (numbers: readonly number[]) =>
      numbers.length > 0
        ? `Todos are closed, not deleted: \`todo done ${numbers.join(' ')}\` takes ${numbers.map((number) => `#${number}`).join(', ')} off the open list.`
        : 'Todos are closed, not deleted: `todo done 3` takes #3 off the open list. `todo list` shows the numbers.',
    tooLong: (limit: number, length: number) =>
      `A todo can be at most ${limit} characters; this one has ${length.toLocaleString('en-US')}. Shorten it (details can go in a thread), then add it again.`,
    openTask: 'Open the task',
    reminder: (number: number, text: string) => `⏰ Reminder: todo #${number} is due now: ${text}`,
    reminderSet: (when: string) => `I'll remind them at ${when}.`,
    remindersOff: 'No reminder is set: reminders need Deskmate to keep running.',
    proposalTitle: (count: number) =>
      count === 1 ? 'I found 1 action item. Create it?' : `I found ${count} action items. Create them?`,
    noItems: 'I found no clear action items there.',
    needsModel: `${modelNeeded(findingActionItems, 'en')} Meanwhile use \`todo add <text> [due] [@owner]\`.`,
    needsThread: 'I can read only the conversation you ask in. Ask me inside the thread.',
    created: (count: number) => (count === 1 ? 'Created 1 todo:' : `Created ${count} todos:`),
    cancelled: 'Cancelled: nothing was created.',
    alreadyCreated:
      'These todos were already created, so there is nothing to cancel. Close one with `todo done <number>`.',
    editHint: 'Change any line and send it; each creates its todo right away:',
    more: (count: number) => `…and ${count} more.`,
  },
  zh: {
    channelTitle: '本群的待办',
    mineTitle: '你的待办',
    none: '没有未完成的待办。用 `待办 添加 周五前发周报 @张三` 添加。',
    open: (count: number) => `${count} 项未完成`,
    due: '截止',
    doneLabel: (number: number) => `完成 #${number}`,
    added: (number: number) => `已添加待办 #${number}`,
    overdue: '它的截止时间已经过去，所以一添加就已逾期。可以关闭它，或换一个更晚的时间重新添加。',
    alreadyAdded: (number: number) => `待办 #${number} 已添加过`,
    moreThanButtons: (count: number) =>
      `_按钮只对应前 ${count} 项；其他待办请发送 \`待办 完成 <编号>\` 完成。_`,
    listHint: (number: number) => `想查看待办？用 \`待办 列表\`；\`待办 完成 ${number}\` 可关闭这一条。`,
    markedDone: (number: number, text: string) => `✅ 待办 #${number} 已完成：${text}`,
    alreadyDone: (number: number) => `待办 #${number} 已经完成了。`,
    notFound: (number: number) => `这里没有待办 #${number}。\`待办 列表\` 可查看未完成的待办。`,
    missingText: '待办内容是什么？例如：`待办 添加 周五前发周报 @张三`。',
    doneUsage: '要完成哪一项？请给出编号：`待办 完成 3`（多项：`待办 完成 3 4`）。`待办 列表` 可查看编号。',
    deleteUsage: (numbers: readonly number[]) =>
      numbers.length > 0
        ? `待办不能删除，只能完成：发送 \`待办 完成 ${numbers.join(' ')}\` 即可把 ${numbers.map((number) => `#${number}`).join('、')} 移出未完成列表。`
        : '待办不能删除，只能完成：发送 `待办 完成 3` 即可把 #3 移出未完成列表。`待办 列表` 可查看编号。',
    tooLong: (limit: number, length: number) =>
      `待办内容最多 ${limit} 个字符，这条有 ${length} 个。请缩短（详情可放在话题里）后再添加。`,
    openTask: '打开任务',
    reminder: (number: number, text: string) => `⏰ 提醒：待办 #${number} 到期了：${text}`,
    reminderSet: (when: string) => `我会在 ${when} 提醒。`,
    remindersOff: '未设置提醒：提醒需要 Deskmate 保持运行。',
    proposalTitle: (count: number) => `我找到 ${count} 项待办，要创建吗？`,
    noItems: '没有找到明确的待办事项。',
    needsModel: `${modelNeeded(findingActionItems, 'zh')}可以先用 \`待办 添加 <内容> [截止时间] [@负责人]\`。`,
    needsThread: '我只能读取你提问所在的对话，请在该话题中问我。',
    created: (count: number) => `已创建 ${count} 项待办：`,
    cancelled: '已取消，没有创建任何内容。',
    alreadyCreated: '这些待办已经创建，无法取消。可用 `待办 完成 <编号>` 关闭。',
    editHint: '修改任意一行后发送，每行会直接创建待办：',
    more: (count: number) => `……还有 ${count} 项。`,
  },
};
