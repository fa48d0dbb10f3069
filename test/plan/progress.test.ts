import { Progress } from '../../plan/progress';

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (chunk: string) => chunks.push(chunk) > 0 };
}

describe('Progress', () => {
  it('writes plain phase lines and no live counts when stderr is not a terminal', () => {
    const err = stream(false);
    const progress = new Progress(err, {});
    progress.phase('running the program');
    progress.count('12 resources registered');
    progress.error(['Pulumi.prod.yaml: slipway:tier: must be one of dev, staging, prod']);
    expect(err.chunks.join('')).toBe(
      '› running the program\nerror: Pulumi.prod.yaml: slipway:tier: must be one of dev, staging, prod\n',
    );
  });

  it('colours and rewrites the count line on a terminal', () => {
    const err = stream(true);
    const progress = new Progress(err, { TERM: 'xterm' });
    progress.count('12 resources registered');
    progress.phase('writing out');
    const text = err.chunks.join('');
    expect(text).toContain('\r\u001b[2K  \u001b[2m12 resources registered\u001b[0m');
    expect(text).toContain('\u001b[2m›\u001b[0m writing out\n');
  });

  it('leaves colour out on a terminal when NO_COLOR is set', () => {
    const err = stream(true);
    new Progress(err, { NO_COLOR: '1' }).phase('writing out');
    expect(err.chunks.join('')).toBe('› writing out\n');
  });
});
