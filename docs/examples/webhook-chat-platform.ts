import { createHmac } from 'node:crypto';
import type { ChatPlatform, PostedMessageRef } from '../../src/core/chat-platform';
import type { Platform } from '../../src/core/conversation';
import { DeskmateError } from '../../src/core/errors';
import type { Reply } from '../../src/core/reply';

/** Sign bytes with the shared secret: `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. */
export function webhookSignature(secret: string, timestamp: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** A reply as plain Markdown: the chat shows text only, so sections, sources and the footnote become lines. */
function renderText(reply: Reply): string {
  const parts = [reply.markdown];
  for (const section of reply.sections ?? []) parts.push(`**${section.title}**\n${section.markdown}`);
  if (reply.citations?.length) {
    parts.push(reply.citations.map((citation) => `[${citation.label}] ${citation.url}`).join('\n'));
  }
  if (reply.footnote) parts.push(`_${reply.footnote}_`);
  return parts.join('\n\n');
}

/** What the chat's port needs: its name, where replies go, and the secret that signs them. */
export interface WebhookChatPortOptions {
  /** The name its conversations carry. */
  platform: Platform;
  /** Replies are POSTed here as JSON; the answer is `{ "id": "<message id>" }`. */
  outboundUrl: string;
  /** Signs each outbound request, so the chat knows it comes from Deskmate. */
  secret: string;
}

/**
 * The port skills use to talk to the webhook chat. It can post and replace messages, nothing more: it has
 * no history to read and no member list, so it says so instead of guessing.
 */
export function createWebhookChatPlatform(options: WebhookChatPortOptions): ChatPlatform {
  const send = async (payload: Record<string, unknown>): Promise<{ id?: string }> => {
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const response = await fetch(options.outboundUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-example-timestamp': timestamp,
        'x-example-signature': webhookSignature(options.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      throw new DeskmateError('platform_error', `webhook chat answered HTTP ${response.status}`, {
        retryable: response.status >= 500,
      });
    }
    return (await response.json()) as { id?: string };
  };

  return {
    name: options.platform,
    async history() {
      throw new DeskmateError('not_configured', 'the webhook chat has no history API', {
        userMessage: "This chat doesn't let me read its history.",
      });
    },
    // No member list: nobody is shown a conversation's content on the strength of a guess.
    isMember: async () => false,
    audience: async () => ({ openTo: 'members', external: true }),
    async post(conversation, reply, postOptions): Promise<PostedMessageRef> {
      const answer = await send({
        channel: conversation.channel,
        text: renderText(reply),
        // The chat drops a second post with the same key (a retried job): the post is idempotent.
        ...(postOptions?.idempotencyKey ? { idempotencyKey: postOptions.idempotencyKey } : {}),
        ...(postOptions?.privateTo ? { visibleTo: postOptions.privateTo } : {}),
      });
      if (!answer.id) throw new DeskmateError('platform_error', 'webhook chat returned no message id');
      return { id: answer.id, channel: conversation.channel };
    },
    async update(conversation, message, reply) {
      await send({ channel: conversation.channel, replaces: message.id, text: renderText(reply) });
    },
  };
}
