import type { Language } from '../../text/language';
import { neutralizeMassMentions, removeInvisibleCharacters } from '../../text/sanitize';
import { afternoonForBareHour, maskNameNumerals, weekdayDay } from '../when/chinese-dates';
import { dateParsers } from '../when/date-parsers';
import { formatDate, formatDateTime, offsetMinutes, zonedInstant } from '../when/timezone';
import type { NumberedMessage } from './transcript';
import { wording } from './wording';

const decisionPattern =
  /\b(decided|decision|we will|we'll go with|agreed|approved|final(?:ly)?|let's go with)\b|决定|确定|同意|通过|定了|就这么办/iu;
const actionPattern =
  /\b(todo|to-do|action item|please|can you|could you|will send|will do|i'll|i will|we will|by (?:mon|tue|wed|thu|fri|sat|sun|tomorrow|eod|end of)|deadline|due)\b|待办|负责|请|需要|截止|之前完成|跟进/iu;

function excerpt(text: string, limit = 140): string {
  const clean = neutralizeMassMentions(removeInvisibleCharacters(text)).replace(/\s+/g, ' ').trim();
  return clean.length > limit ? `${clean.slice(0, limit - 1)}…` : clean;
}

function line(entry: NumberedMessage): string {
  return `- ${entry.message.author.name ?? entry.message.author.id}: ${excerpt(entry.message.text)} [${entry.number}]`;
}

/**
 * A summary made without a model: participants and counts, the messages most replied to, lines that look
 * like decisions or action items, and dates mentioned (chrono-node, English and Chinese, read and shown in the
 * requester's timezone). Citations use
 * the same `[n]` numbers as model summaries.
 */
export function extractiveSummary(
  messages: NumberedMessage[],
  language: Language,
  referenceDate: Date,
  timezone: string,
): string {
  const words = wording[language];
  const people = new Map<string, number>();
  for (const { message } of messages) {
    const name = message.author.name ?? message.author.id;
    people.set(name, (people.get(name) ?? 0) + 1);
  }
  const ranked = [...people.entries()].sort((a, b) => b[1] - a[1]);
  // Chinese takes full-width punctuation: 参与者：王芳（3）、李雷（2）；共 8 条消息。
  const sections = [
    language === 'zh'
      ? `**${words.offlineParticipants}**：${ranked.map(([name, count]) => `${name}（${count}）`).join('、')}；共 ${messages.length} ${words.messages}。`
      : `**${words.offlineParticipants}**: ${ranked.map(([name, count]) => `${name} (${count})`).join(', ')}; ${messages.length} ${words.messages}.`,
  ];

  const mostReplied = messages
    .filter((entry) => (entry.message.replyCount ?? 0) > 0)
    .sort((a, b) => (b.message.replyCount ?? 0) - (a.message.replyCount ?? 0))
    .slice(0, 3);
  if (mostReplied.length > 0)
    sections.push(`**${words.offlineMostReplied}**\n${mostReplied.map(line).join('\n')}`);

  const decisions = messages.filter((entry) => decisionPattern.test(entry.message.text)).slice(-5);
  if (decisions.length > 0) sections.push(`**${words.offlineDecisions}**\n${decisions.map(line).join('\n')}`);

  const decisionNumbers = new Set(decisions.map((entry) => entry.number));
  const actions = messages
    .filter((entry) => !decisionNumbers.has(entry.number) && actionPattern.test(entry.message.text))
    .slice(-5);
  if (actions.length > 0) sections.push(`**${words.offlineActions}**\n${actions.map(line).join('\n')}`);

  const dates: string[] = [];
  const { english, chinese } = dateParsers();
  for (const entry of messages) {
    const at = new Date(entry.message.at);
    const reference = Number.isNaN(at.getTime()) ? referenceDate : at;
    // Read as the requester reads them: "明天下午3点" said in Shanghai is 15:00 there, shown as such.
    const offset = offsetMinutes(timezone, reference);
    const found = [
      ...english.parse(entry.message.text, { instant: reference, timezone: offset }, { forwardDate: true }),
      ...chinese.parse(
        maskNameNumerals(entry.message.text),
        { instant: new Date(reference.getTime() + offset * 60_000), timezone: 0 },
        { forwardDate: true },
      ),
    ];
    for (const result of found) {
      // A lone numeral ("四", "三：") is a name's or a count's, never a date.
      if (/^[一二三四五六七八九十两\s,，。.;；:：]+$/u.test(result.text)) continue;
      const start = result.start;
      const said = { now: reference, timezone };
      const day = weekdayDay(result, said) ?? {
        year: start.get('year') ?? 0,
        month: start.get('month') ?? 1,
        day: start.get('day') ?? 1,
      };
      const time = { hour: start.get('hour') ?? 0, minute: start.get('minute') ?? 0 };
      const afternoon = start.isCertain('hour')
        ? afternoonForBareHour(result, result.text, time, said)
        : undefined;
      const instant = zonedInstant(timezone, {
        ...day,
        ...(afternoon?.day ?? {}),
        ...(afternoon?.time ?? time),
      });
      const shown = start.isCertain('hour')
        ? formatDateTime(instant, timezone, language)
        : formatDate(instant, timezone, language);
      const written = result.text.replace(/[\s,，。.;；:：]+$/u, '');
      dates.push(`- ${written} → ${shown} (${timezone}) [${entry.number}]`);
    }
    if (dates.length >= 8) break;
  }
  if (dates.length > 0) sections.push(`**${words.offlineDates}**\n${dates.slice(0, 8).join('\n')}`);
  return sections.join('\n\n');
}
