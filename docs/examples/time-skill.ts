import { z } from 'zod';
import { textReply } from '../../src/core/reply';
import type { Skill, SkillContext } from '../../src/core/skill';
import { toolArguments } from '../../src/skills/arguments';
import { isKnownTimezone } from '../../src/skills/when/timezone';
import { detectLanguage } from '../../src/text/language';

/** What the model may pass when it picks this skill for free text ("what time is it in Tokyo?"). */
const timeArguments = toolArguments({
  timezone: z.string().max(64).nullish().describe('IANA timezone asked about, e.g. Asia/Tokyo.'),
});

/** The arguments as the skill's schema read them. */
type TimeArguments = { timezone?: string | null };

const wording = {
  en: {
    now: (time: string, zone: string) => `It is ${time} in ${zone}.`,
    unknown: (zone: string) => `I don't know the timezone "${zone}". Try one like Europe/Berlin.`,
  },
  zh: {
    now: (time: string, zone: string) => `${zone} 现在是 ${time}。`,
    unknown: (zone: string) => `不认识时区“${zone}”，请使用类似 Asia/Shanghai 的名称。`,
  },
};

/** The timezone asked for: typed after the command word, or the model's argument; else the requester's. */
function askedTimezone(context: SkillContext<TimeArguments>): string {
  const { request, args, message, settings } = context;
  if (request.kind === 'command' && request.text) return request.text;
  if (request.kind === 'model' && args.timezone) return args.timezone;
  return message.author.timezone ?? settings.defaultTimezone;
}

/** An example skill: `time` / `时间` answers the current time in the requester's timezone (or one named). */
export function createTimeSkill(): Skill<TimeArguments> {
  return {
    name: 'time',
    commandWords: ['time', '时间'],
    description: 'Tell the current date and time, in the requester timezone or a named IANA timezone.',
    ...timeArguments,
    help: {
      en: 'The current time, yours or in a timezone.',
      zh: '当前时间，你的时区或指定时区。',
      examples: ['time', 'time Asia/Tokyo', '时间'],
    },
    async run(context) {
      const language = detectLanguage(context.message.text);
      const timezone = askedTimezone(context);
      if (!isKnownTimezone(timezone)) return textReply(wording[language].unknown(timezone));
      const time = new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
        timeZone: timezone,
        dateStyle: 'full',
        timeStyle: 'short',
      }).format(context.now());
      return textReply(wording[language].now(time, timezone));
    },
  };
}
