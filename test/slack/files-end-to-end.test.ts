import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSkills } from '../../src/skills';
import {
  buttonClick,
  deliverEvent,
  deliverInteraction,
  fileShareEvent,
  mentionEvent,
} from '../fakes/slack-events';
import { documentFixture, documentModel, piecesIn, userTurn } from '../helpers/document-model';
import { generalChannel, people, type SlackHarness, startSlackHarness } from './slack-harness';

/** A host that is not Slack's: it records every request it gets, and the Authorization header of each. */
async function startForeignHost(): Promise<{
  url: string;
  seen: Array<{ path: string; authorization?: string }>;
  server: Server;
}> {
  const seen: Array<{ path: string; authorization?: string }> = [];
  const server = createServer((request, response) => {
    seen.push({ path: request.url ?? '', authorization: request.headers.authorization });
    response.end('%PDF-1.4 not really');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

describe('files on Slack, end to end through Bolt, the Web API client and the fake file host', () => {
  let harness: SlackHarness;
  const llm = documentModel({
    answer: (request) => {
      const question = userTurn(request).split('<question>')[1] ?? '';
      if (/marketing/i.test(question)) {
        const page2 = piecesIn(request).find((piece) => piece.place === 'p. 2');
        return { text: `Marketing spend is capped at 1.2 million [${page2?.number}] [42].` };
      }
      if (/vendor/i.test(question)) return { text: 'Probably next year, I think [42].' };
      return { text: 'NOT_IN_DOCUMENT' };
    },
    minutes: (request) => {
      const [first, second, third] = piecesIn(request).map((piece) => piece.number);
      return {
        text: `**TL;DR** The launch review [${first}].\n\n**Decisions**\n- The budget is approved [${second}]\n\n**Action items**\n- Bob: send the contract (by Friday) [${third}]`,
      };
    },
    todos: [{ text: 'Send the contract', owner: 'Bob', due: 'Friday' }],
  });
  const bob = { id: 'U0BOB0001', name: 'bob', displayName: 'Bob' };

  beforeAll(async () => {
    harness = await startSlackHarness({ mode: 'http', llm, skills: createSkills() });
    harness.fake.state.addUser(bob);
    harness.fake.state.requireChannel(generalChannel).members.push(bob.id);
    harness.fake.state.addChannel({
      id: 'G0BOARD01',
      name: 'board',
      members: [people.alice.id, harness.fake.state.botUserId],
      isPrivate: true,
    });
  });
  afterAll(() => harness.stop());

  const deliver = async (envelope: Record<string, unknown>) => {
    expect((await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret)).status).toBe(200);
    await harness.pipeline.drain();
  };
  const repliesSince = (count: number) => harness.fake.state.botMessages().slice(count);
  const textOf = (count: number) =>
    repliesSince(count)
      .map((message) => harness.fake.state.visibleText(message))
      .join('\n');

  test('a PDF shared with "summarize" gets a summary whose points cite their pages, linked to the file', async () => {
    const before = harness.fake.state.botMessages().length;
    const requestsBefore = llm.requests.length;
    const { envelope, fileId } = fileShareEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} summarize',
      name: 'report.pdf',
      mimetype: 'application/pdf',
      bytes: documentFixture('report.pdf'),
    });
    await deliver(envelope);
    const text = textOf(before);
    expect(text).toContain('Summary of report.pdf');
    expect(text).toContain('The report covers the plan');
    // `[1][2]` became pages, linked to the file's permalink; the invented [99] is gone.
    const permalink = `${harness.fake.state.workspaceUrl}files/${people.alice.id}/${fileId}/report.pdf`;
    expect(text).toContain(`<${permalink}|[p. 1]>`);
    expect(text).toContain(`<${permalink}|[p. 2]>`);
    // (The file id in the permalink is random and may hold "99" itself: look at the text around the links.)
    expect(text.replaceAll(permalink, '')).not.toContain('99');
    const sent = llm.requests.slice(requestsBefore);
    expect(sent).toHaveLength(1);
    expect(sent[0].tools).toBeUndefined();
    expect(userTurn(sent[0])).toContain('Marketing spend is capped at 1.2 million.');
    expect(harness.fake.fileDownloads.at(-1)).toEqual({ fileId, authorized: true });
  });

  test('the same file summarized again is answered from the cache: no second model call', async () => {
    const requestsBefore = llm.requests.length;
    const before = harness.fake.state.botMessages().length;
    const { envelope } = fileShareEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} summarize',
      name: 'report-copy.pdf',
      mimetype: 'application/pdf',
      bytes: documentFixture('report.pdf'),
    });
    await deliver(envelope);
    expect(llm.requests.length).toBe(requestsBefore);
    expect(textOf(before)).toContain('Summarized earlier');
    expect(textOf(before)).toContain('[p. 2]');
  });

  test('the bot token never goes to a host that is not Slack’s: a foreign URL, or a redirect to one', async () => {
    const foreign = await startForeignHost();
    try {
      for (const file of [
        { downloadUrl: `${foreign.url}/files-pri/T0DESKMATE-F9/download/steal.pdf` },
        { redirectTo: `${foreign.url}/elsewhere/steal.pdf` },
      ]) {
        const before = harness.fake.state.botMessages().length;
        const requestsBefore = llm.requests.length;
        const { envelope } = fileShareEvent(harness.fake, {
          channel: generalChannel,
          user: people.alice.id,
          text: '{bot} summarize',
          name: 'steal.pdf',
          mimetype: 'application/pdf',
          bytes: documentFixture('report.pdf'),
          ...file,
        });
        await deliver(envelope);
        expect(textOf(before)).toContain("I won't download that file");
        expect(llm.requests.length).toBe(requestsBefore);
      }
      expect(foreign.seen).toEqual([]);
    } finally {
      await new Promise((resolve) => foreign.server.close(resolve));
    }
  });

  test('a file from a private channel is refused, privately, to someone who is not a member of it', async () => {
    const { file } = harness.fake.state.userSharesFile({
      channel: 'G0BOARD01',
      user: people.alice.id,
      name: 'board.pdf',
      mimetype: 'application/pdf',
      bytes: documentFixture('report.pdf'),
    });
    const permalink = `${harness.fake.state.workspaceUrl}files/${people.alice.id}/${file.id}/board.pdf`;
    const downloadsBefore = harness.fake.fileDownloads.length;
    const requestsBefore = llm.requests.length;
    const before = harness.fake.state.botMessages().length;
    const { envelope } = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: bob.id,
      text: `{bot} summarize <${permalink}>`,
    });
    await deliver(envelope);
    const replies = repliesSince(before);
    expect(replies).toHaveLength(1);
    expect(replies[0].visibleTo).toBe(bob.id);
    expect(harness.fake.state.visibleText(replies[0])).toContain(
      "it was shared only in conversations you're not a member of",
    );
    expect(harness.fake.fileDownloads.length).toBe(downloadsBefore);
    expect(llm.requests.length).toBe(requestsBefore);

    // A member asking in #general gets it, privately: #general has readers the board has not.
    const memberBefore = harness.fake.state.botMessages().length;
    const asked = mentionEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: `{bot} summarize <${permalink}>`,
    });
    await deliver(asked.envelope);
    const answer = repliesSince(memberBefore).find((message) => message.visibleTo === people.alice.id);
    expect(answer && harness.fake.state.visibleText(answer)).toContain('Summary of board.pdf');
    expect(answer && harness.fake.state.visibleText(answer)).toContain('Only you can see this');
    expect(
      repliesSince(memberBefore).filter(
        (message) => !message.visibleTo && harness.fake.state.visibleText(message).includes('report covers'),
      ),
    ).toEqual([]);
  });

  test('ask in the file’s thread answers from the file with page citations, and says when it is not there', async () => {
    const root = fileShareEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: 'Here is the report',
      name: 'report.pdf',
      mimetype: 'application/pdf',
      bytes: documentFixture('report.pdf'),
    });
    const ask = async (question: string) => {
      const before = harness.fake.state.botMessages().length;
      const { envelope } = mentionEvent(harness.fake, {
        channel: generalChannel,
        user: people.zhang.id,
        text: `{bot} ${question}`,
        threadTs: root.message.ts,
      });
      await deliver(envelope);
      return textOf(before);
    };
    const answer = await ask('ask what is the marketing cap?');
    expect(answer).toContain('From report.pdf');
    expect(answer).toContain('Marketing spend is capped at 1.2 million');
    expect(answer).toMatch(/\|\[p\. 2\]>/);
    // Outside the links' addresses (a random file id may hold "42" itself).
    expect(answer.replace(/<[^|>]+\|/g, '<')).not.toContain('42');
    const question = llm.requests.at(-1);
    expect(question?.purpose).toBe('ask');
    expect(question?.tools).toBeUndefined();
    expect(userTurn(question ?? ({ messages: [] } as never))).toContain(
      '<question>\nwhat is the marketing cap?\n</question>',
    );

    expect(await ask('ask who is the CEO?')).toContain(
      "report.pdf doesn't say: I found nothing in it that answers this question.",
    );
    // An answer that cites nothing it was given is not an answer from the file.
    expect(await ask('ask when do the vendor contracts end?')).toContain("report.pdf doesn't say");
    expect(await ask('问 市场费用上限是多少？')).toContain('report.pdf中没有这个问题的答案');
  });

  test('a transcript shared in a direct chat gets minutes, and its action items the todo confirmation card', async () => {
    const before = harness.fake.state.botMessages().length;
    const { envelope } = fileShareEvent(harness.fake, {
      user: people.alice.id,
      name: 'meeting.vtt',
      mimetype: 'text/vtt',
      bytes: documentFixture('meeting.vtt'),
    });
    await deliver(envelope);
    const replies = repliesSince(before);
    const card = replies.at(-1);
    const text = card ? harness.fake.state.visibleText(card) : '';
    expect(text).toContain('Minutes of meeting.vtt');
    expect(text).toContain('The budget is approved');
    // Pieces are cited by the time they start.
    expect(text).toMatch(/\|\[0:01\]>/);
    expect(text).toMatch(/\|\[12:04\]>/);
    expect(text).toContain('I found 1 action item. Create it?');
    expect(text).toContain('Send the contract · @Bob');
    expect(text).toContain('[Create]');
    // Nothing exists before the click.
    const todoRequest = llm.requests.at(-1);
    expect(todoRequest?.purpose).toBe('todo');
    expect(userTurn(todoRequest ?? ({ messages: [] } as never))).toContain('Bob: send the contract');

    // The card is the todo skill's own: Alice's click on Create makes the todo.
    const actionId = (card?.blocks ?? [])
      .flatMap((block) => (block.elements as Array<{ action_id?: string }> | undefined) ?? [])
      .map((element) => element.action_id ?? '')
      .find((id) => id.startsWith('deskmate:todo:create'));
    expect(actionId).toBeDefined();
    const payload = buttonClick(harness.fake, {
      user: people.alice.id,
      message: card as never,
      actionId: actionId ?? '',
    });
    expect((await deliverInteraction(harness.eventsUrl, payload, harness.fake.signingSecret)).status).toBe(
      200,
    );
    await harness.pipeline.drain();
    expect(harness.fake.state.visibleText(card as never)).toContain('Created 1 todo:');
  });
});

describe('Slack downloads stop at DOCUMENT_MAX_BYTES', () => {
  let harness: SlackHarness;
  const llm = documentModel();

  beforeAll(async () => {
    harness = await startSlackHarness({
      mode: 'http',
      llm,
      skills: createSkills({ documents: { maxBytes: 1024 * 1024 } }),
    });
  });
  afterAll(() => harness.stop());

  const share = async (hideSize: boolean) => {
    const before = harness.fake.state.botMessages().length;
    const { envelope } = fileShareEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} summarize',
      name: 'big.txt',
      mimetype: 'text/plain',
      bytes: Buffer.from('Line after line of meeting notes.\n'.repeat(45_000)),
      hideSize,
    });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    return harness.fake.state
      .botMessages()
      .slice(before)
      .map((message) => harness.fake.state.visibleText(message))
      .join('\n');
  };

  test('a file whose size Slack gives is refused before anything is downloaded', async () => {
    const downloads = harness.fake.fileDownloads.length;
    expect(await share(false)).toContain('This file is 1.5 MB, over the 1 MB limit');
    expect(harness.fake.fileDownloads.length).toBe(downloads);
  });

  test('a file of unknown size is cut off while downloading, and nothing reaches the model', async () => {
    expect(await share(true)).toContain('larger than the 1 MB limit for files I read');
    expect(llm.requests).toHaveLength(0);
  });
});

describe('Slack without files:read', () => {
  let harness: SlackHarness;

  beforeAll(async () => {
    harness = await startSlackHarness({ mode: 'http', llm: documentModel(), skills: createSkills() });
  });
  afterAll(() => harness.stop());

  test('the missing scope is said as such, with its fix (not as a missing model)', async () => {
    harness.fake.fail({ method: 'files.info', times: 1, error: 'missing_scope' });
    const before = harness.fake.state.botMessages().length;
    const { envelope } = fileShareEvent(harness.fake, {
      channel: generalChannel,
      user: people.alice.id,
      text: '{bot} summarize',
      name: 'report.pdf',
      mimetype: 'application/pdf',
      bytes: documentFixture('report.pdf'),
    });
    await deliverEvent(harness.eventsUrl, envelope, harness.fake.signingSecret);
    await harness.pipeline.drain();
    const text = harness.fake.state
      .botMessages()
      .slice(before)
      .map((message) => harness.fake.state.visibleText(message))
      .join('\n');
    expect(text).toContain('the Slack app needs the files:read scope');
    // In the asker's language only, not both on one line.
    expect(text).not.toContain('files:read 权限');
    expect(text).not.toContain('No language model');
  });
});
