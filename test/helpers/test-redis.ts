/** The URL of the redis-server the jest global setup started. */
export function testRedisUrl(): string {
  const url = process.env.DESKMATE_TEST_REDIS_URL;
  if (!url)
    throw new Error('DESKMATE_TEST_REDIS_URL is not set: run the tests with `npm test` (jest global setup)');
  return url;
}
