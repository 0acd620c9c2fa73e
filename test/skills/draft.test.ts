import { splitQuoted } from '../../src/skills/draft';
import { RecordingPlatform } from '../fakes/recording-platform';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { inboundMessage } from '../helpers/messages';
import { startTestPipeline } from '../helpers/pipeline';

const conversation = {
  platform: 'slack' as const,
  workspace: 'T1',
  channel: 'C1',
  thread: '111.222',
  kind: 'group' as const,
};

async function session(llm: ScriptedLlm) {
  const platform = new RecordingPlatform('slack', { streaming: true });
  const pipeline = await startTestPipeline({ platforms: { slack: platform }, llm });
  const say = async (text: string, extra = {}) => {
    await pipeline.queue.enqueue(inboundMessage(text, { conversation, ...extra }));
    await pipeline.drain();
    return platform.visibleMessages().at(-1);
  };
  return { platform, pipeline, say };
}

describe('draft skill', () => {
  test('a brief becomes a streamed draft, and a follow-up refines that draft', async () => {
    const first = 'Hi all, the office is closed this Friday. Enjoy the long weekend!';
    const llm = new ScriptedLlm([
      { text: first },
      { toolCalls: [{ id: 't1', name: 'draft', input: { refine: true, instruction: 'shorter' } }] },
      { text: 'Office closed Friday. Enjoy!' },
    ]);
    const { platform, pipeline, say } = await session(llm);
    expect(await say('draft an announcement that the office is closed Friday, friendly')).toBe(first);
    expect(llm.requests[0].messages).toEqual([
      { role: 'user', content: 'an announcement that the office is closed Friday, friendly' },
    ]);
    const streamed = platform.sends.find((send) => send.kind === 'stream');
    expect(streamed && streamed.kind === 'stream' && streamed.chunks.join('')).toBe(first);

    expect(await say('shorter')).toBe('Office closed Friday. Enjoy!');
    // The routing call saw the conversation, and the refinement call got the previous draft to change.
    expect(llm.requests[1].messages.map((message) => message.content)).toContain(first);
    const refine = llm.requests[2];
    expect(refine.messages).toEqual([
      { role: 'user', content: 'Write the draft.' },
      { role: 'assistant', content: first },
      { role: 'user', content: 'Change the draft: shorter' },
    ]);
    expect(refine.system).toMatch(/Revise your previous draft/);
    await pipeline.stop();
  });

  test('polish in Chinese fences the quoted source and asks for Chinese', async () => {
    const llm = new ScriptedLlm([{ text: '各位好，本周五办公室关闭。' }]);
    const { pipeline, say } = await session(llm);
    await say('润色 “各位好 周五办公室关门 大家注意”');
    expect(llm.requests[0].system).toMatch(/Polish the source text/);
    expect(llm.requests[0].system).toMatch(/Write in Chinese/);
    expect(llm.requests[0].messages[0].content).toContain(
      '<source>\n各位好 周五办公室关门 大家注意\n</source>',
    );
    await pipeline.stop();
  });

  test('translate uses the message replied to when nothing is quoted', async () => {
    const llm = new ScriptedLlm([{ text: 'The meeting moves to 3pm.' }]);
    const { pipeline, say } = await session(llm);
    await say('translate', { quoted: '会议改到下午三点。' });
    expect(llm.requests[0].messages[0].content).toContain('<source>\n会议改到下午三点。\n</source>');
    await pipeline.stop();
  });

  test('rewrite without any text explains what to give, without a model call', async () => {
    const llm = new ScriptedLlm();
    const { pipeline, say } = await session(llm);
    expect(await say('rewrite')).toMatch(/Give me the text to work on/);
    expect(llm.requests).toHaveLength(0);
    await pipeline.stop();
  });

  test('a text too long to translate whole is answered with how many parts to send, before any model call', async () => {
    const llm = new ScriptedLlm();
    const { pipeline, say } = await session(llm);
    const notice = '本周五办公室关闭，请大家提前安排工作。'.repeat(300);
    expect(await say(`翻译 “${notice}”`)).toMatch(
      /^这段文字太长，一次回答无法完整翻译，结果会被截断。请分成 \d+ 段，逐段发送。$/,
    );
    expect(await say('polish', { quoted: 'The office is closed on Friday. '.repeat(400) })).toMatch(
      /^This text is too long to polish in one answer: the result would be cut off\. Send it in \d+ parts, one at a time\.$/,
    );
    expect(llm.requests).toHaveLength(0);
    // A text that fits goes to the model as before.
    await say('translate', { quoted: '会议改到下午三点。' });
    expect(llm.requests).toHaveLength(1);
    await pipeline.stop();
  });

  test('a draft never carries a mass mention', async () => {
    const llm = new ScriptedLlm([{ text: '@channel the office is closed' }]);
    const { pipeline, say } = await session(llm);
    expect(await say('draft a closure notice')).toBe('@\u200bchannel the office is closed');
    await pipeline.stop();
  });

  test('quoted text is found in straight, curly and corner quotes and in > lines', () => {
    expect(splitQuoted('polish "hello there" please')).toEqual({
      quoted: 'hello there',
      rest: 'polish please',
    });
    expect(splitQuoted('翻译 「你好世界」')).toEqual({ quoted: '你好世界', rest: '翻译' });
    expect(splitQuoted('make it formal\n> hey guys\n> see you')).toEqual({
      quoted: 'hey guys\nsee you',
      rest: 'make it formal',
    });
  });
});
