import type { InboundMessage } from '../../core/inbound-message';
import { detectLanguage, type Language } from '../../text/language';
import { escapeRegExp } from '../../text/regexp';

/**
 * The language to answer a request about a file in: the person's words without the names and paths of the
 * files they shared (`总结 meeting.vtt` is Chinese), else the files' names (a file sent without words), else
 * the person's locale.
 */
export function requestLanguage(message: InboundMessage, words: string): Language {
  const fallback = message.locale?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  const names = (message.files ?? []).flatMap((file) => (file.name ? [file.name] : []));
  let spoken = words;
  for (const name of names) spoken = spoken.replace(new RegExp(`\\S*${escapeRegExp(name)}`, 'g'), ' ');
  return detectLanguage(spoken.trim() || names.join(' '), fallback);
}
