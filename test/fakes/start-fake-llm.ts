/**
 * A fake model for trying Deskmate by hand: `npx tsx test/fakes/start-fake-llm.ts bedrock|openai`.
 * It answers chat with a friendly echo, and asks for a skill (a tool call) when the text names one
 * ("please summarize…", "draft…", "help"), then prints the settings to start Deskmate with.
 * FAKE_LLM_PORT sets the port (default 4010).
 */
import { type BedrockScript, FakeBedrockServer } from './bedrock-server';
import { FakeOpenAIServer, type OpenAIScript } from './openai-server';

const skillWords: Array<[RegExp, string]> = [
  [/summar|总结/i, 'summarize'],
  [/draft|起草|write/i, 'draft'],
  [/help|what can you|帮助/i, 'help'],
];

function lastUserText(body: Record<string, unknown>): string {
  const messages = (body.messages ?? []) as Array<{ role: string; content: unknown }>;
  const last = [...messages].reverse().find((message) => message.role === 'user');
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return (last.content as Array<{ text?: string }>).map((block) => block.text ?? '').join(' ');
}

function decide(body: Record<string, unknown>): { tool?: string; text: string } {
  const text = lastUserText(body);
  const offersTools = Boolean(body.tools ?? body.toolConfig);
  const skill = offersTools ? skillWords.find(([pattern]) => pattern.test(text))?.[1] : undefined;
  if (skill) return { tool: skill, text: '' };
  return { text: `(fake model) You said: "${text.slice(0, 200)}". Configure a real model for real answers.` };
}

async function main(): Promise<void> {
  const kind = process.argv[2] === 'openai' ? 'openai' : 'bedrock';
  const port = Number(process.env.FAKE_LLM_PORT ?? 4010);
  if (kind === 'bedrock') {
    const fake = new FakeBedrockServer();
    fake.fallback = (body): BedrockScript => {
      const { tool, text } = decide(body);
      return tool
        ? { toolUses: [{ toolUseId: 'tool-1', name: tool, input: {} }] }
        : { chunks: text.split(/(?<= )/) };
    };
    const url = await fake.start(port);
    console.log(`Fake Bedrock on ${url}. Start Deskmate with:\n`);
    console.log(
      `  LLM_PROVIDER=bedrock BEDROCK_MODEL_ID=us.anthropic.claude-sonnet-4-5 AWS_REGION=us-east-1 \\`,
    );
    console.log(
      `  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_ENDPOINT_URL_BEDROCK_RUNTIME=${url} npm start\n`,
    );
  } else {
    const fake = new FakeOpenAIServer();
    fake.fallback = (body): OpenAIScript => {
      const { tool, text } = decide(body);
      return tool
        ? { toolCalls: [{ id: 'call-1', name: tool, arguments: {} }] }
        : { chunks: text.split(/(?<= )/) };
    };
    const url = await fake.start(port);
    console.log(`Fake OpenAI-compatible model on ${url}. Start Deskmate with:\n`);
    console.log(`  LLM_PROVIDER=openai OPENAI_BASE_URL=${url} OPENAI_MODEL=fake-model npm start\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
