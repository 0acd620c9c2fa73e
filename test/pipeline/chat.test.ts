import { LlmError } from '../../src/core/errors';
import { RecordingPlatform } from '../fakes/recording-platform';
import { ScriptedLlm } from '../fakes/scripted-llm';
import { inboundMessage } from '../helpers/messages';
import { startTestPipeline } from '../helpers/pipeline';

describe('chat skill through the pipeline', () => {
  test('remembers the conversation: the second turn reaches the model with the first', async () => {
    const platform = new RecordingPlatform('console');
    const llm = new ScriptedLlm([
      { text: 'Nice to meet you, Alice.' }, // routing call answers the first message
      { text: 'You said your name is Alice.' }, // routing call answers the second
    ]);
    const pipeline = await startTestPipeline({ platforms: { console: platform }, llm });
    await pipeline.queue.enqueue(inboundMessage('my name is Alice'));
    await pipeline.drain();
    await pipeline.queue.enqueue(inboundMessage('what is my name?'));
    await pipeline.drain();
    expect(platform.visibleMessages()).toEqual(['Nice to meet you, Alice.', 'You said your name is Alice.']);
    const second = llm.requests[1];
    expect(second.messages.map((message) => message.content)).toEqual([
      'my name is Alice',
      'Nice to meet you, Alice.',
      'what is my name?',
    ]);
    await pipeline.stop();
  });

  test('a Chinese message gets a Chinese-language instruction to the model', async () => {
    const platform = new RecordingPlatform('console');
    const llm = new ScriptedLlm([{ text: '好的' }]);
    const pipeline = await startTestPipeline({ platforms: { console: platform }, llm });
    await pipeline.queue.enqueue(inboundMessage('你好，今天有什么安排？'));
    await pipeline.drain();
    expect(llm.requests[0].system).toMatch(/briefly, in Chinese/);
    await pipeline.stop();
  });

  test('a routing answer that is empty, cut short or an unknown tool is not the reply: the chat call answers instead', async () => {
    const platform = new RecordingPlatform('console');
    const llm = new ScriptedLlm([
      { text: '', truncated: true }, // a reasoning model spent the routing call's tokens thinking
      { text: 'Try the riverside park.' },
      { text: 'Half a sentence about the', truncated: true },
      { text: 'The whole answer about the agenda.' },
      { toolCalls: [{ id: 't1', name: 'book_flight', input: {} }] },
      { text: 'No flights here, but I can help plan.' },
    ]);
    const pipeline = await startTestPipeline({ platforms: { console: platform }, llm });
    for (const text of [
      'where should the team outing go?',
      'what should the agenda cover?',
      'book me a flight',
    ]) {
      await pipeline.queue.enqueue(inboundMessage(text));
      await pipeline.drain();
    }
    expect(platform.visibleMessages()).toEqual([
      'Try the riverside park.',
      'The whole answer about the agenda.',
      'No flights here, but I can help plan.',
    ]);
    expect(llm.requests.map((request) => request.purpose)).toEqual([
      'route',
      'chat',
      'route',
      'chat',
      'route',
      'chat',
    ]);
    await pipeline.stop();
  });

  test('no answer text at all is said plainly; an answer the output limit cut says so under it', async () => {
    const platform = new RecordingPlatform('console');
    const llm = new ScriptedLlm([
      { text: '' },
      { text: '' },
      { text: '' },
      { text: '第一部分的翻译', truncated: true },
    ]);
    const pipeline = await startTestPipeline({ platforms: { console: platform }, llm });
    await pipeline.queue.enqueue(inboundMessage('where should the team outing go?'));
    await pipeline.drain();
    await pipeline.queue.enqueue(inboundMessage('帮我想想团建去哪里'));
    await pipeline.drain();
    const [empty, cut] = platform.visibleMessages();
    expect(empty).toBe('The model ended without an answer. Try again, or say it another way.');
    expect(cut).toBe('第一部分的翻译\n\n_（回答达到长度上限，已被截断。可以让我继续，或发送更短的文本。）_');
    await pipeline.stop();
  });

  test('`OK` or 👍 in a conversation held in Chinese is answered in Chinese; in English, in English', async () => {
    const platform = new RecordingPlatform('console');
    const llm = new ScriptedLlm([], { text: '好的' });
    const pipeline = await startTestPipeline({ platforms: { console: platform }, llm });
    for (const text of ['帮我想想周会的议程', 'OK', '👍']) {
      await pipeline.queue.enqueue(inboundMessage(text));
      await pipeline.drain();
    }
    expect(llm.requests.map((request) => /briefly, in Chinese/.test(request.system ?? ''))).toEqual([
      true,
      true,
      true,
    ]);
    const english = new ScriptedLlm([], { text: 'Sure' });
    const other = await startTestPipeline({
      platforms: { console: new RecordingPlatform('console') },
      llm: english,
    });
    for (const text of ['plan the team meeting agenda with me', 'OK']) {
      await other.queue.enqueue(inboundMessage(text));
      await other.drain();
    }
    expect(english.requests.map((request) => /briefly, in Chinese/.test(request.system ?? ''))).toEqual([
      false,
      false,
    ]);
    await pipeline.stop();
    await other.stop();
  });

  test('a message of only invisible characters makes no model call: the greeting answers', async () => {
    const platform = new RecordingPlatform('console');
    const llm = new ScriptedLlm([], { text: 'should not be asked' });
    const pipeline = await startTestPipeline({ platforms: { console: platform }, llm });
    await pipeline.queue.enqueue(inboundMessage('\u200b\u200b'));
    await pipeline.drain();
    expect(llm.requests).toHaveLength(0);
    expect(platform.visibleMessages()).toEqual(['Hi! Ask me anything, or try `help` to see what I can do.']);
    await pipeline.stop();
  });

  test('a model failure mid-answer keeps the streamed text and adds the apology in the same message', async () => {
    const platform = new RecordingPlatform('console', { streaming: true });
    const partial = 'The first half of the answer';
    const llm = {
      name: 'failing',
      configured: true,
      async complete() {
        return {
          text: '',
          toolCalls: [],
          stopReason: 'end_turn' as const,
          truncated: false,
          usage: { inputTokens: 1, outputTokens: 0 },
          model: 'm',
          latencyMs: 1,
        };
      },
      async *stream() {
        yield { type: 'text' as const, text: partial };
        throw new LlmError('unavailable', 'stream broke', { partialText: partial, retryable: true });
      },
    };
    const pipeline = await startTestPipeline({ platforms: { console: platform }, llm });
    await pipeline.queue.enqueue(
      inboundMessage('hi', { command: { name: 'chat', args: 'tell me a story' } }),
    );
    await pipeline.drain();
    const messages = platform.visibleMessages();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(partial);
    expect(messages[0]).toContain('a service I depend on is unavailable');
    await pipeline.stop();
  });

  test('a mass mention split across streamed pieces is never shown: each piece appends settled text only', async () => {
    const platform = new RecordingPlatform('console', { streaming: true });
    const pieces = [
      'Heads up @chan',
      'nel and <!he',
      're> and @a',
      'll: the office ',
      'closes <at user_id="a',
      'll">everyone</at> at 5',
    ];
    const llm = {
      name: 'pieces',
      configured: true,
      async complete(): Promise<never> {
        throw new Error('not routed by the model');
      },
      async *stream() {
        for (const text of pieces) yield { type: 'text' as const, text };
        const text = pieces.join('');
        const usage = { inputTokens: 1, outputTokens: 1 };
        const result = { text, toolCalls: [], stopReason: 'end_turn' as const, truncated: false, usage };
        yield { type: 'done' as const, result: { ...result, model: 'm', latencyMs: 1 } };
      },
    };
    const pipeline = await startTestPipeline({ platforms: { console: platform }, llm });
    await pipeline.queue.enqueue(inboundMessage('hi', { command: { name: 'chat', args: 'announce it' } }));
    await pipeline.drain();
    await pipeline.stop();
    const stream = platform.sends.find((send) => send.kind === 'stream');
    if (stream?.kind !== 'stream') throw new Error('the answer was streamed');
    // What a reader sees after each append: the pieces so far, shown together.
    let shown = '';
    for (const chunk of stream.chunks) {
      shown += chunk;
      expect(shown).not.toMatch(/(^|[^\w\u200b])@(channel|here|all)\b|<!(channel|here)|<at user_id="all">/);
    }
    expect(shown).toContain('the office');
    expect(stream.reply?.markdown).toMatch(
      /@\u200bchannel and @\u200bhere and @\u200ball: the office closes @\u200ball at 5/,
    );
  });
});
