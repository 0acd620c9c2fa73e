import type { InboundMessage, UnreadablePart } from '../core/inbound-message';
import { detectLanguage, type Language } from '../text/language';

const kindNames: Record<Language, Record<Exclude<UnreadablePart['kind'], 'other'>, string>> = {
  en: { image: 'images', file: 'files', audio: 'voice messages', video: 'videos', sticker: 'stickers' },
  zh: { image: '图片', file: '文件', audio: '语音', video: '视频', sticker: '表情' },
};

function names(parts: readonly UnreadablePart[], language: Language): string {
  const said = parts.map((part) =>
    part.kind === 'other'
      ? language === 'zh'
        ? `“${part.type ?? '未知'}”类型的消息`
        : `messages of type “${part.type ?? 'unknown'}”`
      : kindNames[language][part.kind],
  );
  const unique = [...new Set(said)];
  return unique.join(language === 'zh' ? '或' : ' or ');
}

/** The language to say it in: the message's words, else the names of the files it carries, else the person's locale. */
export function messageLanguage(message: InboundMessage): Language {
  const words = message.text.trim() || (message.files ?? []).map((file) => file.name ?? '').join(' ');
  return detectLanguage(words, message.locale?.toLowerCase().startsWith('zh') ? 'zh' : 'en');
}

/**
 * What Deskmate says about the parts of a message it cannot read yet: `alone` when there is nothing else to
 * answer, `footnote` under an answer to the message's words.
 */
export function unreadableNotice(
  parts: readonly UnreadablePart[],
  language: Language,
): { alone: string; footnote: string } {
  const what = names(parts, language);
  return language === 'zh'
    ? {
        alone: `我还无法读取${what}。请用文字告诉我你需要什么，或发送 \`帮助\`。`,
        footnote: `我还无法读取${what}：这个回答只依据你的文字。`,
      }
    : {
        alone: `I can't read ${what} yet. Tell me in words what you need, or try \`help\`.`,
        footnote: `I can't read ${what} yet: this answer is from your words only.`,
      };
}

/** What an answer that did not read the message's files says under it, and how to have them read. */
export function filesNotReadNotice(language: Language): string {
  return language === 'zh'
    ? '这个回答没有读取附带的文件：发送 `总结` 或 `问 <问题>` 即可让我读取它。'
    : "I didn't read the attached file for this answer: say `summarize` or `ask <question>` to have me read it.";
}
