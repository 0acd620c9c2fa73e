import { z } from 'zod';
import type { HistoryMessage } from '../../core/history-message';
import type { Author } from '../../core/inbound-message';
import type { SkillContext } from '../../core/skill';
import { renderPrompt } from '../../prompts/render';
import { localDay } from '../../text/local-day';
import { neutralizeMassMentions, removeInvisibleCharacters } from '../../text/sanitize';
import { usageScope } from '../answer';
import { fencedTranscript, numberMessages } from '../summarize/transcript';
import { dueFromWords, maxTodoLength } from './command';

/** A todo the model found; nothing is created until the requester confirms. */
export interface ProposedTodo {
  /** What to do. */
  text: string;
  /** The owner's platform id, when the name matched a person in the conversation. */
  ownerId?: string;
  /** The owner's name as written. */
  ownerName?: string;
  /** Due time (ISO 8601). */
  due?: string;
}

/** Most items one extraction proposes. */
export const maxProposedTodos = 10;

const toolName = 'record_todos';

/** The tool's input, validated: the model's output is never trusted as is. */
const extractedTodos = z.object({
  items: z
    .array(
      z.object({
        text: z.string().trim().min(1).max(maxTodoLength),
        owner: z.string().trim().max(100).optional().nullable(),
        due: z.string().trim().max(100).optional().nullable(),
      }),
    )
    .max(50),
});

const inputSchema = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          text: { type: 'string', description: 'The action, short and imperative.' },
          owner: { type: 'string', description: 'Who should do it, as named in the text.' },
          due: { type: 'string', description: 'The due date or time as written.' },
        },
        required: ['text'],
      },
    },
  },
  required: ['items'],
};

function normalizeName(name: string): string {
  return name.replace(/^@/, '').trim().toLowerCase();
}

/** The person a name the model wrote refers to: an id, a full name, or a first name among the people present. */
export function resolveOwner(
  owner: string,
  people: readonly Author[],
  requester: Author,
): { ownerId?: string; ownerName?: string } {
  const wanted = normalizeName(owner);
  if (['me', 'i', 'myself', '我', '我自己'].includes(wanted)) {
    return { ownerId: requester.id, ...(requester.name ? { ownerName: requester.name } : {}) };
  }
  const byId = people.find((person) => person.id.toLowerCase() === wanted);
  const byName = people.find((person) => person.name && normalizeName(person.name) === wanted);
  const byFirstName = people.find(
    (person) => person.name && normalizeName(person.name).split(/\s+/)[0] === wanted,
  );
  const found = byId ?? byName ?? byFirstName;
  if (found) return { ownerId: found.id, ownerName: found.name ?? owner.replace(/^@/, '') };
  return { ownerName: owner.replace(/^@/, '') };
}

/** Everyone who appears in the source: the requester, the people mentioned and the authors. */
export function peopleOf(context: SkillContext, history: readonly HistoryMessage[]): Author[] {
  const people = new Map<string, Author>();
  const add = (person: Author) => {
    if (!people.has(person.id) || (!people.get(person.id)?.name && person.name))
      people.set(person.id, person);
  };
  add(context.message.author);
  for (const mention of context.message.mentions ?? []) add(mention);
  for (const message of history) if (!message.isBot) add(message.author);
  return [...people.values()];
}

/**
 * Ask the model for the action items in the source (fenced, untrusted, no other tools), validate its tool
 * input with zod, and resolve owners and due dates in the requester's timezone.
 */
export async function extractTodos(
  context: SkillContext,
  source: { history: HistoryMessage[]; people: Author[]; timezone: string },
): Promise<ProposedTodo[]> {
  const now = context.now();
  const prompt = renderPrompt('todo-extract', {
    today: localDay(now, source.timezone),
    timezone: source.timezone,
    requester: context.message.author.name ?? context.message.author.id,
    maxItems: String(maxProposedTodos),
  });
  const result = await context.llm.complete({
    system: prompt.text,
    maxTokens: prompt.maxTokens,
    messages: [{ role: 'user', content: fencedTranscript(numberMessages(source.history), source.timezone) }],
    tools: [{ name: toolName, description: 'Record the action items found.', inputSchema }],
    toolChoice: { name: toolName },
    purpose: 'todo',
    scope: usageScope(context.message),
    signal: context.signal,
  });
  const call = result.toolCalls.find((each) => each.name === toolName);
  const parsed = extractedTodos.safeParse(call?.input ?? { items: [] });
  if (!parsed.success) {
    context.logger.warn({ issues: parsed.error.issues.length }, 'model returned todos that fail validation');
    return [];
  }
  return parsed.data.items.slice(0, maxProposedTodos).map((item) => {
    const owner = item.owner ? resolveOwner(item.owner, source.people, context.message.author) : {};
    const due = item.due ? dueFromWords(item.due, now, source.timezone) : undefined;
    const text = neutralizeMassMentions(removeInvisibleCharacters(item.text));
    return { text, ...owner, ...(due ? { due } : {}) };
  });
}
