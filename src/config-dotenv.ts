import { existsSync, readFileSync } from 'node:fs';
import type { ConfigProblem } from './config';

/** `NAME=value` (optionally `export NAME=value`), the value as written. */
const assignment = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/**
 * What `.env` would get wrong without a word: an unquoted value with a `#` in it. dotenv reads everything from
 * the `#` on as a comment (`REDIS_URL=redis://:p#ss@host` becomes `redis://:p`, and Deskmate connects to
 * 127.0.0.1), while Docker Compose cuts only at ` #`: the same file means two things. Only lines whose
 * variable the real environment leaves unset count (a real variable wins). The value is never shown.
 */
export function dotenvProblems(path = '.env'): ConfigProblem[] {
  if (!existsSync(path)) return [];
  const problems: ConfigProblem[] = [];
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const match = assignment.exec(line);
    if (!match) continue;
    const [, name, value] = match;
    if (process.env[name] || /^["'`]/.test(value) || !/\S#/.test(value)) continue;
    problems.push({
      variable: name,
      message: `in ${path} has a # inside its unquoted value, which .env reads as the start of a comment, so the value would be cut there. Fix: put the value in quotes (${name}="…"), or move a comment after a space and a #.`,
    });
  }
  return problems;
}
