/**
 * A typed command as the parsers read it: full-width digits (０-９, what many Chinese input methods type by
 * default), the full-width number sign and the ideographic space (U+3000) become their ASCII forms, so
 * `待办　完成　３` reads like `待办 完成 3`. One character for one, so positions in the typed text line up.
 * The router finds command words with it; the todo and kb parsers read their subcommands with it; the text a
 * skill keeps (a todo's wording, a text to translate) stays as typed.
 */
export function normalizeCommandText(text: string): string {
  return text
    .replace(/[０-９]/gu, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/＃/gu, '#')
    .replace(/\u3000/gu, ' ');
}

/** A whole-message command without the sentence ending people type after it (`删除我的数据。`, `Forget me!`). */
export function withoutTrailingPunctuation(text: string): string {
  return text.replace(/[\s。.!！?？~～…]+$/u, '').trim();
}
