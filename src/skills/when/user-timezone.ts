import type { SkillContext } from '../../core/skill';
import { isKnownTimezone } from './timezone';

/** The requester's timezone: their platform profile, else the message's hint, else DEFAULT_TIMEZONE. */
export async function requesterTimezone(context: SkillContext): Promise<string> {
  const author = context.message.author;
  let fromProfile: string | undefined;
  try {
    fromProfile = await context.platform.userTimezone?.(author.id);
  } catch (error) {
    context.logger.warn({ err: error }, 'could not read the user timezone; using the default');
  }
  for (const candidate of [fromProfile, author.timezone]) {
    if (candidate && isKnownTimezone(candidate)) return candidate;
  }
  return context.settings.defaultTimezone;
}
