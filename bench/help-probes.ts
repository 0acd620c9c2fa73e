/**
 * Other jobs while a large file is extracted (issue #21, the documents benchmark): during a segment, a few
 * signed `help` mentions, each from a person new to the workspace and a member of the channel (so no
 * per-person limit drops it, unlike the background load's mentions), and for each the time from sending it
 * to the bot's reply being posted in the fake Slack.
 */
import { slackMentionRequest } from './ack-requests';
import { epochNow } from './load';
import type { FakePlatforms, ServerProcess } from './processes';

/** Help mentions per segment, and the time between two of them (they span most of a 4 s segment). */
export const probesPerSegment = 5;
export const probeSpacingMs = 800;
/** How long a probe may wait for its reply before it counts as not answered. */
const replyTimeoutMs = 120_000;

/** One help mention: when it was sent and when its reply was posted (epoch ms; null if never). */
export interface HelpProbe {
  sentAt: number;
  repliedAt: number | null;
  /** Jobs in the queue just before it was sent (the background load's mentions among them). */
  queuedAhead: number;
}

const sleep = (milliseconds: number) => new Promise((done) => setTimeout(done, milliseconds));

/** Send one help mention from a new member of the channel; resolves once the server acknowledged it. */
async function sendProbe(
  server: ServerProcess,
  fakes: FakePlatforms,
  queueDepth: () => Promise<number>,
): Promise<{ thread: string; sentAt: number; queuedAhead: number }> {
  const mention = await fakes.newMemberMention('help');
  const request = slackMentionRequest(fakes, '/slack/events', { ...mention, text: 'help' });
  const queuedAhead = await queueDepth();
  const sentAt = epochNow();
  const response = await fetch(`${server.baseUrl}${request.path}`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  if (!response.ok) throw new Error(`a help mention was answered ${response.status}`);
  return { thread: mention.ts, sentAt, queuedAhead };
}

/**
 * Send `count` help mentions `spacingMs` apart from now, then wait for each one's reply (up to two minutes
 * each; one never answered has `repliedAt` null). Calls to the fakes run one at a time (their IPC answers in
 * order, one kind of question at a time). `queueDepth` reads the jobs queued, before each is sent.
 */
export async function helpProbes(
  server: ServerProcess,
  fakes: FakePlatforms,
  queueDepth: () => Promise<number>,
  count = probesPerSegment,
  spacingMs = probeSpacingMs,
): Promise<HelpProbe[]> {
  const started = performance.now();
  const sent: Array<{ thread: string; sentAt: number; queuedAhead: number }> = [];
  for (let index = 0; index < count; index += 1) {
    const wait = started + index * spacingMs - performance.now();
    if (wait > 1) await sleep(wait);
    sent.push(await sendProbe(server, fakes, queueDepth));
  }
  const probes: HelpProbe[] = [];
  for (const each of sent) {
    const deadline = Date.now() + replyTimeoutMs;
    let repliedAt = await fakes.replyPostedAt(each.thread);
    while (repliedAt === null && Date.now() < deadline) {
      await sleep(20);
      repliedAt = await fakes.replyPostedAt(each.thread);
    }
    probes.push({ sentAt: each.sentAt, repliedAt, queuedAhead: each.queuedAhead });
  }
  return probes;
}

/** Reply times (ms) of the probes answered, how many were not, and the jobs queued ahead of each probe. */
export function replyTimes(probes: HelpProbe[]): {
  times: number[];
  unanswered: number;
  queuedAhead: number[];
} {
  const times = probes.flatMap((probe) => (probe.repliedAt === null ? [] : [probe.repliedAt - probe.sentAt]));
  return {
    times,
    unanswered: probes.length - times.length,
    queuedAhead: probes.map((probe) => probe.queuedAhead),
  };
}
