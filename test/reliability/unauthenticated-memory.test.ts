// Proves: bodies that have not proved who sent them cannot pin the process's memory. Hundreds of connections that each declare about 1 MB, send all but one byte and stall keep Deskmate's resident memory within a bound (the server's budget for unauthenticated bytes), the memory comes back when they close, and a signed event is answered again afterwards.
import { readFileSync } from 'node:fs';
import { FakeLarkServer } from '../fakes/lark-open-api';
import { deliverEvent, mentionEvent } from '../fakes/slack-events';
import { FakeSlackServer } from '../fakes/slack-web-api';
import {
  type DeskmateProcess,
  startDeskmateProcess,
  stopDeskmateProcesses,
} from '../helpers/deskmate-process';
import { type StalledUpload, stallingUpload, statusOf } from '../helpers/raw-http';
import {
  larkEnvironment,
  prepareLarkWorkspace,
  prepareSlackWorkspace,
  slackAuthor,
  slackChannel,
  slackEnvironment,
} from '../helpers/served-deskmate';

/** Stalling connections per route (both routes are attacked at once). */
const connectionsPerRoute = 200;
/** What each connection declares, and what it sends before it stalls. */
const declaredBytes = 1_000_000;
const sentBytes = 999_999;
/** The server's default budget for unauthenticated bytes. */
const budgetBytes = 32 * 1024 * 1024;
/** Resident memory may grow this much over the baseline during the attack (unbounded: ~400 MB). */
const allowedGrowthBytes = 100 * 1024 * 1024;
/**
 * What may stay resident after the connections closed: the budget's worth of bodies plus the server's own
 * growth. An idle process runs no full garbage collection and the allocator keeps freed pages, so the
 * budget's bytes stay until the next collection; what stays is bounded by the budget, not by the attack.
 */
const allowedAfterGrowthBytes = budgetBytes + 40 * 1024 * 1024;

/** The resident memory of a process, from /proc. */
function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** The highest resident memory seen over `durationMs`, sampled every 50 ms. */
async function peakResidentBytes(pid: number, durationMs: number): Promise<number> {
  let peak = residentBytes(pid);
  const deadline = Date.now() + durationMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    peak = Math.max(peak, residentBytes(pid));
  }
  return peak;
}

const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);

describe('memory while unauthenticated bodies stall', () => {
  const slack = new FakeSlackServer();
  const lark = new FakeLarkServer();
  let deskmate: DeskmateProcess;

  beforeAll(async () => {
    await slack.start();
    await lark.start();
    prepareSlackWorkspace(slack);
    prepareLarkWorkspace(lark);
    deskmate = await startDeskmateProcess({
      ...slackEnvironment(slack),
      ...larkEnvironment(lark),
      LLM_PROVIDER: 'offline',
      LOG_LEVEL: 'warn',
    });
  });
  afterAll(async () => {
    await stopDeskmateProcesses(0);
    await slack.stop();
    await lark.stop();
  });

  const signedMention = async () => {
    const { envelope } = mentionEvent(slack, {
      channel: slackChannel,
      user: slackAuthor.id,
      text: '{bot} help',
    });
    return (await deliverEvent(`${deskmate.baseUrl}/slack/events`, envelope, slack.signingSecret)).status;
  };

  test('400 connections sending 999,999 of 1,000,000 declared bytes: memory bounded, the rest refused, bytes given back', async () => {
    const pid = deskmate.child.pid as number;
    // Warm up both routes, so the baseline includes what serving costs anyway.
    expect(await signedMention()).toBe(200);
    await peakResidentBytes(pid, 300);
    const baseline = residentBytes(pid);

    const body = Buffer.alloc(sentBytes, 'a');
    const uploads: Promise<StalledUpload>[] = [];
    for (let index = 0; index < connectionsPerRoute; index += 1) {
      uploads.push(stallingUpload(`${deskmate.baseUrl}/slack/events`, declaredBytes, body));
      uploads.push(stallingUpload(`${deskmate.baseUrl}/lark/events`, declaredBytes, body));
    }
    const stalled = await Promise.all(uploads);
    const during = await peakResidentBytes(pid, 1500);
    const refused = stalled.filter((upload) => statusOf(upload.received()) === 503);
    const refusedAndClosed = refused.filter((upload) => upload.closed());

    for (const upload of stalled) upload.socket.destroy();
    await peakResidentBytes(pid, 1000);
    const after = residentBytes(pid);

    const report = { baseline: megabytes(baseline), during: megabytes(during), after: megabytes(after) };
    expect({ ...report, duringWithinBound: during - baseline < allowedGrowthBytes }).toEqual({
      ...report,
      duringWithinBound: true,
    });
    expect({ ...report, afterWithinBound: after - baseline < allowedAfterGrowthBytes }).toEqual({
      ...report,
      afterWithinBound: true,
    });
    // Past the budget, bodies are refused with 503 and their connections closed (Slack and Lark send again).
    expect(refused.length).toBeGreaterThan(connectionsPerRoute);
    expect(refusedAndClosed).toHaveLength(refused.length);

    // The bytes were given back when the connections closed: a new wave is held again up to the budget
    // (33 bodies of 1,000,000 bytes), not refused whole.
    const secondWave = await Promise.all(
      Array.from({ length: 40 }, () =>
        stallingUpload(`${deskmate.baseUrl}/slack/events`, declaredBytes, body),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const held = secondWave.filter((upload) => !upload.closed() && upload.received() === '');
    for (const upload of secondWave) upload.socket.destroy();
    expect(held.length).toBeGreaterThanOrEqual(30);
    expect(await signedMention()).toBe(200);
  }, 30_000);
});
