import type * as English from 'chrono-node/en';
import type * as Chinese from 'chrono-node/zh';

/** chrono-node's English and Chinese date parsers. */
export interface DateParsers {
  english: typeof English;
  chinese: typeof Chinese;
}

let parsers: DateParsers | undefined;

/**
 * The date parsers, loaded on first use: only the two locales Deskmate reads, and not at start, where
 * chrono-node's index (sixteen locales) took about 150 ms of the time to ready.
 */
export function dateParsers(): DateParsers {
  parsers ??= {
    english: require('chrono-node/en') as typeof English,
    chinese: require('chrono-node/zh') as typeof Chinese,
  };
  return parsers;
}
