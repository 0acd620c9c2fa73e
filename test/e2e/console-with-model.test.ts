import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { FakeOpenAIServer } from '../fakes/openai-server';

const root = resolve(__dirname, '../..');

function runConsole(
  input: string,
  environment: Record<string, string>,
): Promise<{ status: number | null; stdout: string }> {
  return new Promise((done) => {
    const child = spawn('npm', ['start', '--silent'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...environment },
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.resume();
    child.on('exit', (status) => done({ status, stdout }));
    child.stdin.end(input);
  });
}

describe('console assistant with an OpenAI-compatible model (fake on loopback)', () => {
  const fake = new FakeOpenAIServer();
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await fake.start();
  });
  afterAll(() => fake.stop());

  test('a chat message is answered with the model text; a free-text request runs the skill the model chose', async () => {
    fake.enqueue(
      { chunks: ['Hello from ', 'the fake model.'] },
      { toolCalls: [{ id: 'call_1', name: 'help', arguments: {} }] },
    );
    const result = await runConsole('hi there\nwhat can you do for me?\n', {
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: baseUrl,
      OPENAI_MODEL: 'deepseek-chat',
      OPENAI_API_KEY: 'sk-test',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Hello from the fake model.');
    // The routing call offered the skills as tools, and the chosen one (help) ran.
    expect(result.stdout).toMatch(/is your office assistant/);
    const tools = (fake.requests[1].tools as Array<{ function: { name: string } }>).map(
      (tool) => tool.function.name,
    );
    expect(tools).toEqual(expect.arrayContaining(['summarize', 'draft', 'help']));
  });

  test('with MASK_PERSONAL_DATA=on the model sees placeholders and the answer shows the values', async () => {
    fake.requests.length = 0;
    // The model echoes what it was given: placeholders in, placeholders out.
    fake.fallback = (body) => {
      const messages = body.messages as Array<{ role: string; content: string }>;
      const last = messages.filter((message) => message.role === 'user').at(-1)?.content ?? '';
      return { chunks: [`Noted: ${last}`] };
    };
    const result = await runConsole('please email zhao.lei@example.com or call 13812345678 about it\n', {
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: baseUrl,
      OPENAI_MODEL: 'deepseek-chat',
      MASK_PERSONAL_DATA: 'on',
    });
    expect(result.status).toBe(0);
    const sent = JSON.stringify(fake.requests);
    expect(sent).not.toContain('zhao.lei@example.com');
    expect(sent).not.toContain('13812345678');
    expect(sent).toContain('<EMAIL_1>');
    expect(result.stdout).toContain('Noted: please email zhao.lei@example.com or call 13812345678 about it');
  });

  test('todo extraction reads the console session: what was typed for it, not the commands', async () => {
    fake.requests.length = 0;
    fake.enqueue(
      { chunks: ['Noted.'] },
      {
        toolCalls: [
          {
            id: 'call_2',
            name: 'record_todos',
            arguments: { items: [{ text: 'Send the budget', owner: 'Alice' }] },
          },
        ],
      },
    );
    const result = await runConsole(
      'Alice: please send the budget by Friday\ntodo from this conversation\n',
      {
        LLM_PROVIDER: 'openai',
        OPENAI_BASE_URL: baseUrl,
        OPENAI_MODEL: 'deepseek-chat',
      },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('I found 1 action item. Create it?\n1. Send the budget · @Alice');
    const extraction = JSON.stringify(fake.requests[1].messages);
    expect(extraction).toContain('please send the budget by Friday');
    expect(extraction).not.toContain('todo from this conversation');
  });
});
