import { driftAction, driftMarker } from '../../../action/src/drift/decision';

test('drift opens an issue, keeps updating it while drift lasts, and closes it when the stack is clean', () => {
  expect(driftAction(true, false)).toBe('open');
  expect(driftAction(true, true)).toBe('update');
  expect(driftAction(false, true)).toBe('close');
  expect(driftAction(false, false)).toBe('none');
});

test('each stack has its own marker', () => {
  expect(driftMarker('slipway', 'prod')).toBe('<!-- slipway-drift project=slipway stack=prod -->');
  expect(driftMarker('slipway', 'prod')).not.toBe(driftMarker('slipway', 'staging'));
});
