import type { SkillContext } from '../../core/skill';
import { isKnownTimezone } from './timezone';

/** The requester's timezone: from their platform profile (filled in before the skill runs), else DEFAULT_TIMEZONE. */
export function requesterTimezone(context: SkillContext): string {
  const timezone = context.message.author.timezone;
  return timezone && isKnownTimezone(timezone) ? timezone : context.settings.defaultTimezone;
}
