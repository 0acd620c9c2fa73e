// Which language Deskmate answers in, as a person would judge it: their words decide; a reply that does not
// say (`OK`, `LGTM`, `1`, `👍`) keeps the conversation's language; bare Chinese punctuation is Chinese.
import { detectLanguage, languageOfTurns } from '../../src/text/language';

test('the words decide; text that does not say takes the fallback; ？ and 。 are Chinese', () => {
  expect(detectLanguage('帮我总结一下')).toBe('zh');
  expect(detectLanguage('summarize this thread please')).toBe('en');
  expect(detectLanguage('总结 https://applink.feishu.cn/client/chat/open')).toBe('zh');
  for (const text of ['OK', 'LGTM', '1', '👍', 'ok!', '…']) {
    expect(detectLanguage(text, 'zh')).toBe('zh');
    expect(detectLanguage(text)).toBe('en');
  }
  expect(detectLanguage('thanks', 'zh')).toBe('en');
  expect(detectLanguage('？')).toBe('zh');
  expect(detectLanguage('。')).toBe('zh');
});

test("a conversation's language: the latest words of a person that say one", () => {
  const turns = [
    { role: 'user', text: 'plan the offsite with me' },
    { role: 'assistant', text: 'Sure.' },
    { role: 'user', text: '改成中文回答吧' },
    { role: 'assistant', text: '好的。' },
    { role: 'user', text: 'OK' },
  ];
  expect(languageOfTurns(turns)).toBe('zh');
  expect(languageOfTurns(turns.slice(0, 2))).toBe('en');
  expect(languageOfTurns([], 'zh')).toBe('zh');
});
