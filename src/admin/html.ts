/** Markup that is already safe: built by `html` from escaped parts, never from raw input. */
export class SafeHtml {
  /** The markup. */
  readonly markup: string;
  constructor(markup: string) {
    this.markup = markup;
  }
  /** The markup (so a page can be sent as a string). */
  toString(): string {
    return this.markup;
  }
}

/** What a template may interpolate: safe markup as is; text and numbers escaped; nothing for empty values. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escape text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (character) => entities[character]);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeHtml(String(value));
}

/**
 * The one way pages are written: every interpolated value is escaped unless it is `SafeHtml` made by this
 * same function. Attributes must be quoted in the template (`href="${url}"`).
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let markup = strings[0];
  values.forEach((value, index) => {
    markup += render(value) + strings[index + 1];
  });
  return new SafeHtml(markup);
}

/**
 * A link target that cannot run script: an http(s) URL or a path on this site (`/admin/…`, `#…`); anything
 * else (`javascript:`, `data:`, `//other.host`) becomes `#`.
 */
export function safeHref(url: string): string {
  if (/^https?:\/\/[^\s"'<>`]+$/i.test(url)) return url;
  if (/^\/(?!\/)[^\s"'<>`]*$/.test(url) || /^#[\w-]*$/.test(url)) return url;
  return '#';
}
