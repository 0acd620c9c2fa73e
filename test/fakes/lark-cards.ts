/** A card's JSON (2.0). */
export type CardJson = {
  config?: Record<string, unknown>;
  body?: { elements?: unknown[] };
  [key: string]: unknown;
};

/** A CardKit card entity. */
export class FakeCard {
  sequence = 0;
  sent = false;
  /** Every streamed content of the answer element, in order. */
  readonly contents: string[] = [];
  /** When each operation arrived (ms). */
  readonly operationTimes: number[] = [];
  constructor(
    readonly cardId: string,
    public json: CardJson,
  ) {}

  /** Replace the content of the element with this id. */
  setElementContent(elementId: string, content: string): void {
    let found = false;
    const visit = (node: unknown) => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(visit);
      const record = node as Record<string, unknown>;
      if (record.element_id === elementId) {
        record.content = content;
        found = true;
      }
      Object.values(record).forEach(visit);
    };
    visit(this.json.body);
    if (!found) throw new Error(`no element ${elementId}`);
    this.contents.push(content);
  }
}

/** Markdown and plain text inside a card, joined by newlines. */
export function cardText(json: unknown): string {
  const parts: string[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const record = node as Record<string, unknown>;
    if ((record.tag === 'markdown' || record.tag === 'plain_text') && typeof record.content === 'string') {
      parts.push(record.content);
    }
    for (const [key, value] of Object.entries(record)) if (key !== 'behaviors') visit(value);
  };
  visit((json as CardJson)?.body ?? json);
  return parts.join('\n');
}
