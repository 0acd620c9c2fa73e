/** The requests of the ack benchmarks: signed Slack events and encrypted, signed Lark events, each unique. */
import { randomBytes } from 'node:crypto';
import { encryptPayload, larkFixture, signatureHeaders } from '../test/fakes/lark-events';
import { signedHeaders, slackFixture } from '../test/fakes/slack-events';
import { larkAuthor, larkChat, slackAuthor, slackChannel } from '../test/helpers/served-deskmate';
import type { FakePlatformFacts } from './fake-platforms';
import type { PreparedRequest } from './load';

/** Messages made so far: each message's ts is unique within this process, whatever the second. */
let messagesMade = 0;

/**
 * Signed `app_mention` envelopes, each with its own event id and message: `help` in the channel (each its own
 * conversation), or with `threadRoots`, `summarize` in each of those threads.
 */
export function slackRequests(
  fakes: FakePlatformFacts,
  path: string,
  count: number,
  threadRoots?: string[],
): PreparedRequest[] {
  const slack = fakes.slack;
  const base = slackFixture<Record<string, unknown> & { event: Record<string, unknown> }>('app-mention.json');
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, index) => {
    messagesMade += 1;
    const ts = `${now}.${String(messagesMade).padStart(6, '0')}`;
    const envelope = {
      ...base,
      team_id: slack.teamId,
      event_id: `EvB${randomBytes(6).toString('hex')}`,
      event_time: now,
      event: {
        ...base.event,
        type: 'app_mention',
        user: slackAuthor.id,
        text: `<@${slack.botUserId}> ${threadRoots ? 'summarize' : 'help'}`,
        ts,
        event_ts: ts,
        channel: slackChannel,
        team: slack.teamId,
        thread_ts: threadRoots?.[index % threadRoots.length],
      },
    };
    const body = JSON.stringify(envelope);
    return {
      path,
      headers: { 'content-type': 'application/json', ...signedHeaders(body, slack.signingSecret) },
      body,
    };
  });
}

/** A signed top-level `app_mention` envelope of `text` by `mention.user` at `mention.ts`, with more event fields if given. */
export function slackMentionRequest(
  fakes: FakePlatformFacts,
  path: string,
  mention: { ts: string; user: string; text: string },
  moreFields: Record<string, unknown> = {},
): PreparedRequest {
  const slack = fakes.slack;
  const base = slackFixture<Record<string, unknown> & { event: Record<string, unknown> }>('app-mention.json');
  const now = Math.floor(Date.now() / 1000);
  const { client_msg_id: _unused, thread_ts: _thread, parent_user_id: _parent, ...event } = base.event;
  const envelope = {
    ...base,
    team_id: slack.teamId,
    event_id: `EvF${randomBytes(6).toString('hex')}`,
    event_time: now,
    event: {
      ...event,
      type: 'app_mention',
      user: mention.user,
      text: `<@${slack.botUserId}> ${mention.text}`,
      ts: mention.ts,
      event_ts: mention.ts,
      channel: slackChannel,
      team: slack.teamId,
      ...moreFields,
    },
  };
  const body = JSON.stringify(envelope);
  return {
    path,
    headers: { 'content-type': 'application/json', ...signedHeaders(body, slack.signingSecret) },
    body,
  };
}

/** A signed `app_mention` envelope of "summarize" with a file its author shared (as Slack sends a file shared with a mention). */
export function slackFileShareRequest(
  fakes: FakePlatformFacts,
  path: string,
  shared: { ts: string; user: string; file: Record<string, unknown> },
): PreparedRequest {
  return slackMentionRequest(
    fakes,
    path,
    { ts: shared.ts, user: shared.user, text: 'summarize' },
    { files: [shared.file], upload: false, display_as_bot: false },
  );
}

/** Encrypted, signed `im.message.receive_v1` events, each with its own event id and message. */
export function larkRequests(fakes: FakePlatformFacts, path: string, count: number): PreparedRequest[] {
  const lark = fakes.lark;
  return Array.from({ length: count }, () => {
    const payload = larkFixture<{ header: Record<string, unknown>; event: Record<string, unknown> }>(
      'message-receive-group.json',
    );
    payload.header.event_id = randomBytes(16).toString('hex');
    payload.header.create_time = String(Date.now());
    payload.header.app_id = lark.appId;
    payload.header.tenant_key = lark.tenantKey;
    payload.header.token = lark.verificationToken;
    payload.event.sender = {
      sender_id: { open_id: larkAuthor.openId, union_id: 'on_alice', user_id: 'alice' },
      sender_type: 'user',
      tenant_key: lark.tenantKey,
    };
    const messageId = `om_${randomBytes(12).toString('hex')}`;
    payload.event.message = {
      message_id: messageId,
      root_id: '',
      parent_id: '',
      create_time: String(Date.now()),
      update_time: String(Date.now()),
      chat_id: larkChat,
      thread_id: '',
      chat_type: 'group',
      message_type: 'text',
      content: JSON.stringify({ text: '@_user_1 help' }),
      mentions: [
        {
          key: '@_user_1',
          id: { open_id: lark.botOpenId, union_id: 'on_bot', user_id: '' },
          mentioned_type: 'bot',
          name: 'Deskmate',
          tenant_key: lark.tenantKey,
        },
      ],
    };
    const body = encryptPayload(payload, lark.encryptKey);
    return {
      path,
      headers: { 'content-type': 'application/json', ...signatureHeaders(body, lark.encryptKey) },
      body,
    };
  });
}
