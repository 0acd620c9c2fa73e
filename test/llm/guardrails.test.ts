// Proves, through Bolt, the Bedrock client and their fakes: with a Bedrock Guardrail configured, a
// streamed answer the guardrail stops ends with "blocked by your organization's content policy" in the
// asker's language, is counted in /metrics, and is not asked of the model again.
import { FakeBedrockServer } from '../fakes/bedrock-server';
import { deliverEvent, mentionEvent } from '../fakes/slack-events';
import { FakeSlackServer } from '../fakes/slack-web-api';
import {
  prepareSlackWorkspace,
  type ServedDeskmate,
  slackAuthor,
  slackChannel,
  slackEnvironment,
  startServedDeskmate,
} from '../helpers/served-deskmate';
import { waitUntil } from '../helpers/wait';

describe('Bedrock Guardrails', () => {
  const slack = new FakeSlackServer();
  const bedrock = new FakeBedrockServer();
  const saved = { ...process.env };
  let served: ServedDeskmate;

  beforeAll(async () => {
    await slack.start();
    prepareSlackWorkspace(slack);
    process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = await bedrock.start();
    served = await startServedDeskmate({
      ...slackEnvironment(slack),
      LLM_PROVIDER: 'bedrock',
      BEDROCK_MODEL_ID: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      AWS_REGION: 'us-east-1',
      BEDROCK_GUARDRAIL_ID: 'gr-office-policy',
      BEDROCK_GUARDRAIL_VERSION: '3',
    });
  });
  afterAll(async () => {
    await served.deskmate.stop();
    await bedrock.stop();
    await slack.stop();
    process.env = saved;
  });

  test('an intervention ends the answer in the asker’s language, is counted, and is not retried', async () => {
    bedrock.enqueue({ chunks: ['关于薪资', '的内容'], stopReason: 'guardrail_intervened' });
    const { envelope } = mentionEvent(slack, {
      channel: slackChannel,
      user: slackAuthor.id,
      text: '{bot} 起草 一封关于同事薪资的邮件',
    });
    await deliverEvent(`${served.baseUrl}/slack/events`, envelope, slack.signingSecret);
    await waitUntil(
      () => slack.state.botMessages().some((message) => /内容策略/.test(slack.state.visibleText(message))),
      'the blocked answer',
    );
    const answer = slack.state
      .botMessages()
      .find((message) => /内容策略/.test(slack.state.visibleText(message)));
    expect(slack.state.visibleText(answer!)).toContain('被你所在组织的内容策略拦截');
    expect(bedrock.requests).toHaveLength(1);
    expect(bedrock.requests[0].body.guardrailConfig).toMatchObject({
      guardrailIdentifier: 'gr-office-policy',
      guardrailVersion: '3',
    });
    const metrics = await (await fetch(`${served.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/deskmate_llm_errors_total\{model="[^"]+",code="policy_blocked"\} 1/);
  });
});
