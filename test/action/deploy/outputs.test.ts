import { splitOutputs } from '../../../action/src/deploy/outputs';

test('a secret nested in an output is dropped from it and returned for masking, the rest kept', () => {
  const plain = {
    db: { value: { host: 'db.internal', password: 'hunter2-long', port: 5432 }, secret: false },
    url: { value: 'https://dev.shop.example.com', secret: false },
  };
  const masked = {
    db: { host: 'db.internal', password: '[secret]', port: 5432 },
    url: 'https://dev.shop.example.com',
  };
  expect(splitOutputs(plain, masked)).toEqual({
    shown: { db: { host: 'db.internal', port: 5432 }, url: 'https://dev.shop.example.com' },
    secrets: ['hunter2-long'],
  });
});

test('secret elements of arrays and whole secret outputs go, with every leaf under them masked', () => {
  const plain = {
    tokens: { value: ['public', 'tok-1', { k: 'tok-2' }], secret: false },
    kubeconfig: { value: { users: [{ token: 'abc-token' }] }, secret: true },
  };
  const masked = { tokens: ['public', '[secret]', '[secret]'], kubeconfig: '[secret]' };
  expect(splitOutputs(plain, masked)).toEqual({
    shown: { tokens: ['public'] },
    secrets: ['tok-1', 'tok-2', 'abc-token'],
  });
});

test('an output the masked view does not show the same way is withheld (fail closed)', () => {
  const plain = {
    missing: { value: { password: 'p4ssw0rd' }, secret: false },
    changed: { value: 'value-a', secret: false },
  };
  expect(splitOutputs(plain, { changed: 'value-b' })).toEqual({
    shown: {},
    secrets: ['p4ssw0rd', 'value-a'],
  });
});

test('a public value that is literally "[secret]" stays', () => {
  expect(splitOutputs({ note: { value: '[secret]', secret: false } }, { note: '[secret]' }).shown).toEqual({
    note: '[secret]',
  });
});
