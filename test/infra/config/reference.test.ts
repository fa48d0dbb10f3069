import { inlineValue, keysOf, renderKey, valueAt, wrap } from '../../../infra/config/reference';

describe('the config reference renderer', () => {
  const schema = {
    type: 'object',
    properties: {
      size: { type: 'integer', minimum: 1, maximum: 9, description: 'how many' },
      mode: { type: 'string', enum: ['a', 'b'] },
      groups: {
        type: 'array',
        items: { type: 'object', properties: { name: { type: 'string', minLength: 1 } }, required: ['name'] },
      },
      env: {
        type: 'object',
        additionalProperties: { type: 'string' },
        propertyNames: { pattern: '^[A-Z]+$' },
      },
    },
    required: ['size'],
  };

  it('lists every key depth first with its type, whether it is required and what it allows', () => {
    expect(keysOf(schema, 'x')).toEqual([
      { path: 'x', type: 'object', required: false },
      { path: 'x.size', type: 'integer', required: true, allowed: '1 to 9', description: 'how many' },
      { path: 'x.mode', type: 'string', required: false, allowed: 'one of `a`, `b`' },
      { path: 'x.groups', type: 'list of object', required: false },
      { path: 'x.groups[].name', type: 'string', required: true, allowed: 'not empty' },
      { path: 'x.env', type: 'map of string', required: false, allowed: 'names matching `^[A-Z]+$`' },
    ]);
  });

  it('reads values along a key path, the first a list item or map entry holds', () => {
    const value = {
      groups: [{ name: 'first' }, { name: 'second', size: 2 }],
      size: 3,
      jobs: { seed: { command: ['seed'] }, migrate: { command: ['up'], args: ['--all'] } },
    };
    expect(valueAt(value, 'groups[].name')).toBe('first');
    expect(valueAt(value, 'groups[].size')).toBe(2);
    expect(valueAt(value, 'size')).toBe(3);
    expect(valueAt(value, 'jobs.<name>.command')).toEqual(['seed']);
    expect(valueAt(value, 'jobs.<name>.args')).toEqual(['--all']);
    expect(valueAt(value, 'missing.deeper')).toBeUndefined();
    expect(valueAt(value, 'jobs.<name>.missing')).toBeUndefined();
  });

  it('writes values as inline YAML and keys as wrapped list items with defaults and an example', () => {
    expect(inlineValue({ a: [1, 'b'] })).toBe('{a: [1, "b"]}');
    const key = {
      path: 'x.size',
      type: 'integer',
      required: true,
      allowed: '1 to 9',
      description: 'how many',
    };
    expect(
      renderKey(key, {
        defaults: [
          ['dev', 2],
          ['prod', undefined],
        ],
        example: 4,
      }),
    ).toBe('- `x.size` (integer, required; 1 to 9): how many. Default: dev `2`. Example: `4`.');
    expect(wrap('aaa bbb ccc', '- ', '  ', 9)).toBe('- aaa bbb\n  ccc');
  });
});
