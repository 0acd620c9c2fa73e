import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeskmateError } from '../core/errors';

/** A prompt template loaded from `prompts/<name>.md`. */
interface PromptTemplate {
  /** File name without `.md`. */
  name: string;
  /** What the prompt is for (front matter). */
  description: string;
  /** Default output cap for calls using it (front matter `maxTokens`). */
  maxTokens: number;
  /** The template body with `{{variables}}`. */
  body: string;
  /** The variables the body uses. */
  variables: string[];
}

/** A rendered prompt: the text and its default output cap. */
interface RenderedPrompt {
  /** The prompt text. */
  text: string;
  /** Default output cap. */
  maxTokens: number;
}

function findPromptsDirectory(): string {
  let directory = __dirname;
  for (let depth = 0; depth < 6; depth += 1) {
    const candidate = join(directory, 'prompts');
    if (existsSync(join(directory, 'package.json')) && existsSync(candidate)) return candidate;
    directory = resolve(directory, '..');
  }
  throw new DeskmateError('not_configured', 'prompts/ directory not found next to package.json');
}

const variablePattern = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;

/** Parse a prompt file: `---` front matter (`key: value` lines), then the body. */
export function parsePrompt(name: string, source: string): PromptTemplate {
  const match = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(source);
  if (!match) throw new DeskmateError('invalid_request', `prompt ${name} has no front matter`);
  const fields = Object.fromEntries(
    match[1].split('\n').flatMap((line) => {
      const separator = line.indexOf(':');
      return separator > 0 ? [[line.slice(0, separator).trim(), line.slice(separator + 1).trim()]] : [];
    }),
  );
  const maxTokens = Number(fields.maxTokens);
  if (!fields.description || !Number.isInteger(maxTokens) || maxTokens <= 0) {
    throw new DeskmateError(
      'invalid_request',
      `prompt ${name} needs description and maxTokens in front matter`,
    );
  }
  const body = match[2].trim();
  const variables = [...new Set([...body.matchAll(variablePattern)].map((found) => found[1]))];
  return { name, description: fields.description, maxTokens, body, variables };
}

const cache = new Map<string, PromptTemplate>();

/** Load a prompt by name (cached). */
export function loadPrompt(name: string): PromptTemplate {
  const cached = cache.get(name);
  if (cached) return cached;
  const path = join(findPromptsDirectory(), `${name}.md`);
  if (!existsSync(path)) throw new DeskmateError('not_found', `no prompt named ${name} (looked for ${path})`);
  const template = parsePrompt(name, readFileSync(path, 'utf8'));
  cache.set(name, template);
  return template;
}

/** Names of every prompt in `prompts/`. */
export function listPrompts(): string[] {
  return readdirSync(findPromptsDirectory())
    .filter((file) => file.endsWith('.md'))
    .map((file) => file.slice(0, -3))
    .sort();
}

/** Render a prompt by name; throws when a variable it uses is missing. */
export function renderPrompt(name: string, variables: Record<string, string | number>): RenderedPrompt {
  const template = loadPrompt(name);
  const missing = template.variables.filter((variable) => variables[variable] === undefined);
  if (missing.length > 0) {
    throw new DeskmateError('invalid_request', `prompt ${name} is missing variables: ${missing.join(', ')}`);
  }
  const text = template.body.replace(variablePattern, (_whole, variable: string) =>
    String(variables[variable]),
  );
  return { text, maxTokens: template.maxTokens };
}
