import { keywordQueryOf } from '../../src/knowledge/keyword-query';

/** Question words leave a keyword query; the words about its subject stay as written, Chinese uncut. */
describe('keywordQueryOf', () => {
  test.each([
    ['How do I reset my Okta password?', 'reset Okta password?'],
    ['What is the hotel limit in May?', 'hotel limit in May?'],
    ['Who handles IT tickets in the US office?', 'handles IT tickets in US office?'],
    ['报销时发票丢了怎么办？', '报销时发票丢 办？'],
    ['北京办公室有餐补吗？', '北京办公室 餐补 ？'],
    ['Can you tell me?', 'Can you tell me?'],
  ])('%s', (question, query) => {
    expect(keywordQueryOf(question)).toBe(query);
  });
});
