// Proves: `npm run audit` refuses what it does not understand instead of exporting every record: an unknown
// option (`--user`) or a stray word prints the usage and exits 2; `--help` prints it; a day the month does not
// have and a range that ends before it starts are refused with their fix.
import { PassThrough } from 'node:stream';
import { exportAudit } from '../../src/audit/export';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = new PassThrough();
  let stdout = '';
  output.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  let stderr = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
  try {
    const code = await exportAudit(argv, output);
    return { code, stdout, stderr };
  } finally {
    spy.mockRestore();
  }
}

describe('npm run audit, its arguments', () => {
  test('an unknown option or a stray word prints the usage and exits 2', async () => {
    for (const argv of [['--user', 'U0NOBODY'], ['--requester'], ['U0NOBODY']]) {
      const answer = await run(argv);
      expect({ argv, code: answer.code }).toEqual({ argv, code: 2 });
      expect(answer.stderr).toContain('Usage: npm run audit --');
      expect(answer.stdout).toBe('');
    }
  });

  test('--help prints the usage', async () => {
    const answer = await run(['--help']);
    expect(answer.code).toBe(0);
    expect(answer.stdout).toContain('--requester R');
  });

  test('an impossible day and a reversed range are refused with their fix', async () => {
    const impossible = await run(['--since=2026-02-30']);
    expect(impossible.code).toBe(2);
    expect(impossible.stderr).toContain('--since 2026-02-30 is not a date. Fix: write it as yyyy-mm-dd');
    const reversed = await run(['--since', '2026-12-07', '--until', '2026-12-01']);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toContain('is after --until');
  });
});
