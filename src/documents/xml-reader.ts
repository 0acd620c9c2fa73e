import { StringDecoder } from 'node:string_decoder';
import type { SaxesTagPlain } from 'saxes';
import type { Deadline } from './deadline';

/** What to do with an XML part's elements and text, as they stream by. */
export interface XmlHandlers {
  /** An element opens (`name` with its prefix, `w:p`). */
  open?(name: string, attributes: Record<string, string>): void;
  /** An element closes. */
  close?(name: string): void;
  /** Text between tags, entities decoded. */
  text?(text: string): void;
}

/** saxes (the XML parser jsdom uses, small and streaming) loads on first use. */
function loadSaxes(): typeof import('saxes') {
  return require('saxes');
}

function createParser(handlers: XmlHandlers) {
  const { SaxesParser } = loadSaxes();
  const parser = new SaxesParser();
  parser.on('opentag', (tag: SaxesTagPlain) =>
    handlers.open?.(tag.name, tag.attributes as Record<string, string>),
  );
  parser.on('closetag', (tag: SaxesTagPlain) => handlers.close?.(tag.name));
  parser.on('text', (text: string) => handlers.text?.(text));
  return parser;
}

/** Parse a small XML part held in memory (styles, relationships, a slide). */
export function parseXml(xml: Buffer | string, handlers: XmlHandlers): void {
  const parser = createParser(handlers);
  parser.write(typeof xml === 'string' ? xml : xml.toString('utf8'));
  parser.close();
}

/**
 * Parse an XML part as it inflates, chunk by chunk, giving the event loop turns between chunks and stopping
 * early when `stop()` says enough was read (the row or character limit): memory stays that of one chunk.
 */
export async function parseXmlStream(
  chunks: AsyncIterable<Buffer>,
  handlers: XmlHandlers,
  options: { deadline: Deadline; stop?: () => boolean },
): Promise<void> {
  const parser = createParser(handlers);
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    parser.write(decoder.write(chunk));
    if (options.stop?.()) return;
    await options.deadline.pause();
  }
  parser.write(decoder.end());
  parser.close();
}
