import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

const cases: { args: string[]; code: number }[] = [
  { args: ['--help'], code: 0 },
  { args: ['no-such-command'], code: 2 },
];

for (const { args, code } of cases) {
  test(`tandem ${args.join(' ')} exits ${code}`, async (t) => {
    const result = await run('bin/tandem', args, { timeout: 20_000 }).then(
      () => 0,
      (err: { code?: number }) => err.code ?? -1,
    );
    t.is(result, code);
  });
}
