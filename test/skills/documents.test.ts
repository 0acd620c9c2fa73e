import type { SharedFile } from '../../src/core/shared-file';
import { createSkills } from '../../src/skills';
import { RecordingPlatform } from '../fakes/recording-platform';
import type { ScriptedLlm } from '../fakes/scripted-llm';
import { documentFixture, documentModel, piecesIn, userTurn } from '../helpers/document-model';
import { inboundMessage } from '../helpers/messages';
import { startTestPipeline } from '../helpers/pipeline';

const conversation = {
  platform: 'slack' as const,
  workspace: 'T1',
  channel: 'C1',
  thread: 't1',
  kind: 'group' as const,
};

/** A platform whose files capability serves bytes by file id, recording each read. */
function platformWithFiles(files: Record<string, Buffer>): RecordingPlatform & { reads: string[] } {
  const platform = Object.assign(new RecordingPlatform('slack'), { reads: [] as string[] });
  platform.members.add('U1');
  platform.files = {
    async read(file) {
      platform.reads.push(file.id);
      return { bytes: files[file.id], name: file.name, link: `https://files.example/${file.id}` };
    },
  };
  return platform;
}

function shared(id: string, name = id): SharedFile {
  return { id, name, conversation };
}

async function ask(
  platform: RecordingPlatform,
  text: string,
  file: SharedFile | undefined,
  llm?: ScriptedLlm,
  skills = createSkills(),
): Promise<string[]> {
  const pipeline = await startTestPipeline({ platforms: { slack: platform }, llm, skills });
  await pipeline.queue.enqueue(inboundMessage(text, { conversation, ...(file ? { files: [file] } : {}) }));
  await pipeline.drain();
  await pipeline.stop();
  return platform.visibleMessages();
}

/** A Markdown document of `count` sections with a paragraph each. */
function longMarkdown(count: number, special: Record<number, string> = {}): Buffer {
  const sections = Array.from(
    { length: count },
    (_, index) =>
      `# Section ${index + 1}\n\nThe team reviewed item ${index + 1} of the plan in detail. ${special[index + 1] ?? ''} ${'Progress is steady and the budget holds. '.repeat(40)}`,
  );
  return Buffer.from(sections.join('\n\n'));
}

describe('the document skills through the real pipeline', () => {
  test('without a model, summarize on a file gives an outline of headings and first sentences with their places', async () => {
    const platform = platformWithFiles({ plan: documentFixture('plan.docx') });
    const [reply] = await ask(platform, 'summarize', shared('plan', 'plan.docx'));
    expect(reply).toContain('**Summary of plan.docx**');
    expect(reply).toContain('**Q3**: Q3 spend was 0.9 million, under plan.');
    expect(reply).toContain('[[§ Budget › Q3]](https://files.example/plan)');
    const last = platform.sends.at(-1);
    expect(last?.kind === 'stream' ? undefined : last?.reply.footnote).toContain(
      'Made without a model: an outline of the headings and first sentences. A language model would give a real summary',
    );

    const [chinese] = await ask(
      platformWithFiles({ plan: documentFixture('plan.docx') }),
      '总结',
      shared('plan', 'plan.docx'),
    );
    expect(chinese).toContain('**plan.docx 的总结**');
    expect(chinese).toContain('[[§ 进度 › 第一阶段]](https://files.example/plan)');
  });

  test('a long document goes through map-reduce: notes on each part, merged, citations of real parts only', async () => {
    const llm = documentModel({
      summary: (request) => {
        const numbers = piecesIn(request).map((piece) => piece.number);
        if (request.system?.includes('take notes on part')) {
          return { text: `- Item reviewed [${numbers[0]}][${numbers.at(-1)}]` };
        }
        const cited = [...userTurn(request).matchAll(/\[(\d+)\]/g)].map((match) => match[1]);
        return { text: `**TL;DR** Steady progress [${cited[0]}][${cited.at(-1)}][4000].` };
      },
    });
    const skills = createSkills({ summarize: { chunkTokens: 3000 } });
    const platform = platformWithFiles({ long: longMarkdown(40) });
    const [reply] = await ask(platform, 'summarize', shared('long', 'long.md'), llm, skills);
    const notes = llm.requests.filter((request) => request.system?.includes('take notes on part'));
    expect(notes.length).toBeGreaterThan(3);
    expect(llm.requests.length).toBeGreaterThan(notes.length);
    for (const request of llm.requests) expect(request.tools).toBeUndefined();
    // Every part was sent once, fenced.
    const sentParts = notes.flatMap((request) => piecesIn(request).map((piece) => piece.number));
    expect(sentParts).toEqual(Array.from({ length: sentParts.length }, (_, index) => index + 1));
    expect(reply).toContain('[§ Section 1]');
    expect(reply).toContain('[§ Section 40]');
    expect(reply).not.toContain('4000');
  });

  test('a file that cannot be read is answered with the reason, in the asker’s language', async () => {
    const platform = platformWithFiles({ locked: documentFixture('encrypted.pdf') });
    const llm = documentModel();
    const [reply] = await ask(platform, '总结', shared('locked', 'locked.pdf'), llm);
    expect(reply).toBe('这个PDF设有密码，无法读取。请分享一份未加密的副本。');
    expect(llm.requests).toHaveLength(0);
  });

  test('a text file that reads as a transcript gets minutes', async () => {
    const transcript = Buffer.from(
      [
        'Alice: Welcome, let us review the launch.',
        'Bob: The budget is approved.',
        '王芳：我负责测试。',
        'Bob: I will send the contract by Friday.',
      ].join('\n'),
    );
    const llm = documentModel({ minutes: () => ({ text: '**TL;DR** Launch review [1].' }) });
    const [reply] = await ask(
      platformWithFiles({ notes: transcript }),
      'summarize',
      shared('notes', 'notes.txt'),
      llm,
    );
    expect(reply).toContain('Minutes of notes.txt');
    expect(llm.requests[0].system).toContain('minutes of a meeting');
  });

  test('ask sends the parts that match the question; a citation of a part it was not given is removed', async () => {
    const llm = documentModel({
      answer: (request) => {
        const given = piecesIn(request).map((piece) => piece.number);
        return { text: `The penguin enclosure opens in May [${given[0]}][1].` };
      },
    });
    const skills = createSkills();
    const platform = platformWithFiles({
      long: longMarkdown(40, { 17: 'The penguin enclosure opens in May.' }),
    });
    const [reply] = await ask(
      platform,
      'ask when does the penguin enclosure open?',
      shared('long', 'long.md'),
      llm,
      skills,
    );
    const given = piecesIn(llm.requests[0]).map((piece) => piece.place);
    expect(given).toEqual(['§ Section 17']);
    expect(reply).toContain('[§ Section 17]');
    expect(reply).not.toMatch(/\[§ Section 1\]/);
    expect(reply).toContain('The file is long: I looked at the');
  });

  test('a file shared in a conversation the requester is not a member of is refused privately and never read', async () => {
    const platform = platformWithFiles({ board: documentFixture('report.pdf') });
    const llm = documentModel();
    const elsewhere = { ...conversation, channel: 'C0BOARD', thread: undefined };
    platform.members.clear();
    const [refusal] = await ask(
      platform,
      'summarize',
      { id: 'board', name: 'board.pdf', conversation: elsewhere },
      llm,
    );
    expect(refusal).toBe("I can't read that conversation for you: you're not a member of it.");
    const sent = platform.sends.at(-1);
    expect(sent?.kind === 'post' && sent.options?.privateTo).toBe('U1');
    expect(platform.memberCalls.map((call) => call.conversation.channel)).toEqual(['C0BOARD']);
    expect(platform.reads).toEqual([]);
    expect(llm.requests).toHaveLength(0);
  });
});
