import { LlmError } from '../../src/core/errors';
import type { LlmProvider, LlmRequest } from '../../src/core/llm-provider';
import { type BedrockProviderOptions, createBedrockProvider } from '../../src/llm/bedrock-provider';
import { createLogger } from '../../src/logger';
import { FakeBedrockServer } from '../fakes/bedrock-server';
import { createCaptureLogger } from '../helpers/capture-logger';

/**
 * The common Bedrock setup mistakes, through the real SDK: each is a setting to fix (`not_configured`, never
 * retried) with a reply that names the setting, not "try again in a minute" or "the request was not valid".
 */
describe('Bedrock setup mistakes name the setting to fix (real client)', () => {
  const fake = new FakeBedrockServer();
  let endpoint: string;
  const saved = { ...process.env };
  const sleeps: number[] = [];
  const provider = (overrides: Partial<BedrockProviderOptions> = {}): LlmProvider =>
    createBedrockProvider({
      modelId: 'anthropic.claude-sonnet-4-5',
      region: 'eu-north-1',
      endpoint,
      firstTokenTimeoutMs: 3000,
      totalTimeoutMs: 6000,
      maxRetries: 2,
      logger: createLogger({ level: 'silent' }),
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
      },
      ...overrides,
    });
  const ask: LlmRequest = { messages: [{ role: 'user', content: 'hello' }] };

  /** The error a streamed call ends with. */
  async function streamError(llm: LlmProvider): Promise<LlmError> {
    try {
      for await (const _event of llm.stream(ask)) {
        // read to the end
      }
    } catch (error) {
      expect(error).toBeInstanceOf(LlmError);
      return error as LlmError;
    }
    throw new Error('the call succeeded');
  }

  beforeAll(async () => {
    endpoint = await fake.start();
  });
  beforeEach(() => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    sleeps.length = 0;
    fake.requests.length = 0;
  });
  afterAll(async () => {
    process.env = saved;
    await fake.stop();
  });

  test('a model that needs an inference profile: the fix is BEDROCK_MODEL_ID with us./eu./apac., no retry', async () => {
    // Bedrock's own wording (a 400 ValidationException), e.g. langchain-ai/langchain-aws#1019.
    fake.enqueue({
      status: 400,
      errorType: 'ValidationException',
      errorMessage:
        "Invocation of model ID anthropic.claude-sonnet-4-5 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
    });
    const error = await streamError(provider());
    expect(error).toMatchObject({ code: 'not_configured', retryable: false });
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toHaveLength(0);
    const reply = error.userMessage as { en: string; zh: string };
    expect(reply.en).toContain(
      "An admin should set BEDROCK_MODEL_ID to the inference-profile id for the region's geography, e.g. us.anthropic.claude-sonnet-4-5, eu.anthropic.claude-sonnet-4-5 or apac.anthropic.claude-sonnet-4-5.",
    );
    expect(reply.zh).toContain('BEDROCK_MODEL_ID');
  });

  test('an invalid model identifier names BEDROCK_MODEL_ID (whole answers too)', async () => {
    fake.enqueue({
      status: 400,
      errorType: 'ValidationException',
      errorMessage: 'The provided model identifier is invalid.',
    });
    const error = await provider()
      .complete(ask)
      .then(
        () => undefined,
        (failure: unknown) => failure as LlmError,
      );
    expect(error).toMatchObject({ code: 'not_configured' });
    expect((error?.userMessage as { en: string } | undefined)?.en).toMatch(
      /Bedrock does not know the model .* check BEDROCK_MODEL_ID/,
    );
  });

  test("other validation errors stay invalid_request, and the log shows Bedrock's message once", async () => {
    fake.enqueue({ status: 400, errorType: 'ValidationException', errorMessage: 'messages: field required' });
    const error = await streamError(provider());
    expect(error).toMatchObject({ code: 'invalid_request' });
    const capture = createCaptureLogger();
    capture.logger.error({ err: error, code: error.code }, 'job failed');
    const logged = (capture.lines[0].err as { message: string }).message;
    expect(logged).toBe('Bedrock ValidationException (400): messages: field required');
  });

  test('no AWS credentials anywhere: the fix names the AWS credentials, no request and no retry', async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    delete process.env.AWS_PROFILE;
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/deskmate/credentials';
    process.env.AWS_CONFIG_FILE = '/nonexistent/deskmate/config';
    const error = await streamError(provider());
    expect(error).toMatchObject({ code: 'not_configured', retryable: false });
    expect((error.userMessage as { en: string }).en).toMatch(
      /No AWS credentials were found for Bedrock\. An admin should set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
    expect(fake.requests).toHaveLength(0);
    expect(sleeps).toHaveLength(0);
  });

  test('a region whose endpoint does not exist (ENOTFOUND) names AWS_REGION, without retries', async () => {
    const error = await streamError(provider({ endpoint: 'https://bedrock-runtime.us-east1.invalid' }));
    expect(error).toMatchObject({ code: 'not_configured', retryable: false });
    expect((error.userMessage as { en: string }).en).toMatch(
      /The Bedrock endpoint bedrock-runtime\.us-east1\.invalid does not exist\. An admin should check AWS_REGION/,
    );
    expect(sleeps).toHaveLength(0);
  });
});
