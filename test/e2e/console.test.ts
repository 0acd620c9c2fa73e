import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { temporaryDirectory } from '../helpers/console-run';

const root = resolve(__dirname, '../..');
/** The folder the person types `npm start` in (npm runs it in the project, and tells it the folder). */
const folder = temporaryDirectory();
afterAll(() => folder.remove());

function runConsole(input: string, environment: Record<string, string> = {}) {
  return spawnSync('npm', ['--prefix', root, 'start', '--silent'], {
    cwd: folder.path,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...environment },
    input,
    encoding: 'utf8',
    timeout: 30000,
  });
}

describe('console assistant (npm start with piped input)', () => {
  test('prints the help in English, then in Chinese, and exits 0', () => {
    const result = runConsole('help\n帮助\n');
    expect(result.status).toBe(0);
    const english = result.stdout.indexOf('is your office assistant');
    const chinese = result.stdout.indexOf('是你的办公助手');
    expect(english).toBeGreaterThanOrEqual(0);
    expect(chinese).toBeGreaterThan(english);
    // Each help shows its own language's examples (both kinds of command work either way).
    const [englishHelp, chineseHelp] = [result.stdout.slice(english, chinese), result.stdout.slice(chinese)];
    expect(englishHelp).toContain('`summarize last 24h`');
    expect(englishHelp).not.toContain('`总结 今天`');
    expect(chineseHelp).toContain('`总结 今天`');
    expect(chineseHelp).toContain('`待办 完成 3`');
    expect(chineseHelp).not.toContain('`summarize last 24h`');
    // The offline notice is said in the reply, and the startup warning goes to stderr, not into replies.
    expect(result.stdout).toMatch(/No language model is configured yet/);
    expect(result.stderr).toMatch(/no language model configured/);
  });

  test('free text without a model gets an honest answer with how to configure one', () => {
    const result = runConsole('what is on my plate today?\n');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /Answering in your own words needs a language model, and none is configured/,
    );
    expect(result.stdout).toMatch(/LLM_PROVIDER=bedrock/);
  });

  test('offline, help marks what needs a model and each such command says what to configure', () => {
    const result = runConsole('help\n帮助\ndraft a note that the office is closed\n起草 通知\n');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/`draft` \/ `起草` \(needs a model\): Write a draft/);
    expect(result.stdout).toMatch(/`todo from this thread` \(needs a model\)/);
    expect(result.stdout).toMatch(/`draft` \/ `起草` \(需要模型\)/);
    // Commands that work offline are not marked.
    expect(result.stdout).not.toMatch(/`(summarize|todo|schedule)` \/ `[^`]+` \(needs a model\)/);
    expect(result.stdout).toMatch(
      /Drafting needs a language model, and none is configured\. An admin can set LLM_PROVIDER=bedrock/,
    );
    expect(result.stdout).toMatch(/起草和改写需要语言模型，但尚未配置。管理员可设置 LLM_PROVIDER=bedrock/);
    expect(result.stdout).not.toMatch(/I can only run commands/);
  });

  test('without a model, explicit todo and schedule commands still work; model-only requests say what to set', () => {
    const result = runConsole(
      [
        'todo add Send the weekly report by Friday @alice',
        '待办 明天下午3点前提交预算',
        'todo done 1',
        'todo list',
        'schedule Budget review tomorrow 3pm 45m @bob',
        'todo from this thread',
        '',
      ].join('\n'),
      { DEFAULT_TIMEZONE: 'Asia/Shanghai' },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Added todo #1: Send the weekly report · @alice · due Fri/);
    expect(result.stdout).toMatch(/已添加待办 #2: 提交预算 · 截止/);
    expect(result.stdout).toContain('✅ Todo #1 done: Send the weekly report');
    expect(result.stdout).toMatch(/\nYour todos \(1 open\)\n• #2 提交预算/);
    expect(result.stdout).toMatch(/📅 Budget review\n.*15:00–15:45 \(Asia\/Shanghai\)/);
    expect(result.stdout).toContain(`Invite file saved: ${join(folder.path, 'Budget review.ics')}`);
    expect(result.stdout).toContain('Finding action items needs a language model, and none is configured.');
  });

  test('Chinese input as typed closes todos: full-width numbers and spaces, no space; a delete only says how to close', () => {
    const result = runConsole(
      [
        '待办 添加 写周报',
        '待办 添加 订会议室',
        '待办 添加 买咖啡',
        '待办 添加 交报销',
        '待办 添加 发通知',
        '待办 完成 ３',
        '待办 完成2',
        'todo\u3000done\u3000１',
        '待办完成 4',
        '待办 删除 5',
        'todo delete 5',
        '待办 列表',
        '',
      ].join('\n'),
    );
    expect(result.status).toBe(0);
    for (const closed of [
      '✅ 待办 #3 已完成：买咖啡',
      '✅ 待办 #2 已完成：订会议室',
      '✅ Todo #1 done: 写周报',
    ]) {
      expect(result.stdout).toContain(closed);
    }
    expect(result.stdout).toContain('✅ 待办 #4 已完成：交报销');
    expect(result.stdout).toContain('待办不能删除，只能完成：发送 `待办 完成 5` 即可把 #5 移出未完成列表。');
    expect(result.stdout).toContain(
      'Todos are closed, not deleted: `todo done 5` takes #5 off the open list.',
    );
    // Four closed, one left open, and nothing typed above became a todo of its own.
    expect(result.stdout).toMatch(/你的待办 \(1 项未完成\)\n• #5 发通知\n\n\[1\] 完成 #5 [^\n]*\n+$/);
    expect(result.stdout).not.toMatch(/#6|完成 ３|删除 5|delete 5|needs a language model|需要/);
  });

  test('wrong commands do nothing: a close without a number, a click on no button, a todo too long', () => {
    const result = runConsole(
      [
        '/click 9',
        'todo done abc',
        `todo add ${'x'.repeat(20_000)}`,
        'todo add Send the report',
        '/click 9',
        '/click',
        'todo list',
        'schedule sync tomorrow 25:00',
        'schedule a meeting with bob next week',
        '',
      ].join('\n'),
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      '“25:00” is not a time of day: use 00:00–23:59 or am/pm, e.g. 15:00 or 3pm.',
    );
    // "next week" is its first working day, and "with" stays in the title.
    expect(result.stdout).toMatch(
      /Schedule this meeting\?\na meeting with bob\nMon, [A-Z][a-z]{2} \d{1,2}, 09:00–09:30 \(UTC\)/,
    );
    expect(result.stdout).toContain('There is nothing to click yet');
    expect(result.stdout).toContain('Which todo? Give its number: `todo done 3`');
    expect(result.stdout).toContain('A todo can be at most 500 characters; this one has 20,000.');
    expect(result.stdout).toContain('There is no button 9: the last card has one button, /click 1.');
    expect(result.stdout).toContain('Type /click 1 to press the button of the last card.');
    // Only the one real todo exists, and no line went to the (absent) model.
    expect(result.stdout).toMatch(/Added todo #1: Send the report/);
    expect(result.stdout).toMatch(/\(1 open\)\n• #1 Send the report\n/);
    expect(result.stdout).not.toMatch(/done abc|needs a language model/);
  });

  test('a terminal program: plain text, a console help, clicks in the card language, the invite saved here, no promise a piped session cannot keep, one answer per command', () => {
    const result = runConsole(
      [
        'help',
        '待办 添加 写周报',
        'todo add Send the report by Friday',
        'todo done 2',
        'todo done 1',
        'schedule Planning tomorrow 3pm',
        '',
      ].join('\n'),
    );
    expect(result.status).toBe(0);
    // Plain text: no Markdown emphasis or headings reach the terminal.
    expect(result.stdout).not.toMatch(/\*\*|(^|\s)_\S|\S_($|\s)|^#+ /m);
    expect(result.stdout).toMatch(
      /^Deskmate is your office assistant\. Type a command, or ask in your own words; `\/click <number>` presses a button on a card:/,
    );
    expect(result.stdout).not.toMatch(/Mention me in a channel/);
    // How to press a button, in the language of the card it is under.
    expect(result.stdout).toContain('[1] 完成 #1   (输入 /click 加编号来点击按钮)');
    expect(result.stdout).toContain('[1] Done #2   (type /click and a number to press a button)');
    // The invite is a file in the folder the console was started from, and the reply says where.
    const saved = join(folder.path, 'Planning.ics');
    expect(result.stdout).toContain(`Invite file saved: ${saved}`);
    expect(readdirSync(folder.path)).toContain('Planning.ics');
    expect(readFileSync(saved, 'utf8')).toMatch(/BEGIN:VEVENT[\s\S]*SUMMARY:Planning/);
    // The session ends with its input: no reminder is promised.
    expect(result.stdout).not.toMatch(/I will post a reminder/);
    expect(result.stdout).toContain('No reminder is set: reminders need Deskmate to keep running.');
    // Closing the last open todo is one answer: the closing line, no empty list after it.
    expect(result.stdout).toMatch(/✅ Todo #2 done: Send the report\n\nYour todos \(1 open\)\n• #1 写周报/);
    expect(result.stdout).toMatch(/✅ Todo #1 done: 写周报\n\n📅/);
    expect(result.stdout).not.toMatch(/No open todos/);
  });

  test("a summary of the console reads what was typed for it: not commands, not Deskmate's answers", () => {
    const result = runConsole(
      [
        'summarize',
        'todo add Send the report',
        'help',
        'Alice: the budget is due Friday, please review it',
        'Bob: we decided to ship on Monday',
        'todo list',
        'summarize',
        '',
      ].join('\n'),
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'Nothing to summarize yet: type or paste the conversation first (commands and my answers are left out), then `summarize`.',
    );
    const summary = result.stdout.slice(result.stdout.indexOf('Summary of this console session'));
    expect(summary).toMatch(/^Summary of this console session\n/);
    expect(summary).toMatch(/2 messages\./);
    expect(summary).toContain('Bob: we decided to ship on Monday');
    expect(summary).toContain('Alice: the budget is due Friday, please review it');
    expect(summary).not.toMatch(/todo add|todo list|help|Added todo|office assistant|needs a language model/);
    expect(result.stdout).not.toMatch(/this channel/);
  });

  test('empty input exits 0 with nothing printed on stdout', () => {
    const result = runConsole('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('');
  });
});
