import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizePhone, phoneSearchVariants, samePhone, toE164 } from '../../src/domain/phone.ts';

test('mixed written forms normalise to E.164 and keep the original', () => {
  const cases: Array<[string, string, string, string]> = [
    ['+39 347 555 0101', 'IT', '+393475550101', '3475550101'],
    ['0039 347 5550101', 'IT', '+393475550101', '3475550101'],
    // "00" is read as international even where the region dials 011.
    ['0039 347 5550101', 'US', '+393475550101', '3475550101'],
    ['347.555.0101', 'IT', '+393475550101', '3475550101'],
    ['(415) 555-0123', 'US', '+14155550123', '4155550123'],
    ['415.555.0199', 'US', '+14155550199', '4155550199'],
    ['+44 (0)20 7946 0958', 'IT', '+442079460958', '2079460958'],
    ['07700 900123', 'GB', '+447700900123', '7700900123'],
  ];
  for (const [raw, region, e164, national] of cases) {
    const phone = normalizePhone(raw, region);
    assert.equal(phone.raw, raw);
    assert.equal(phone.e164, e164, `${raw} (${region})`);
    assert.equal(phone.national, national, `${raw} (${region})`);
  }
});

test('extensions are kept apart from the number', () => {
  for (const raw of ['+1 415 555 0123 ext. 45', '+1 (415) 555-0123 x45', '(415) 555-0123 extension 45']) {
    const phone = normalizePhone(raw, 'US');
    assert.equal(phone.e164, '+14155550123', raw);
    assert.equal(phone.extension, '45', raw);
    assert.ok(!phone.digits.endsWith('45'), raw);
  }
});

test('what cannot be a phone number has no E.164 form but keeps its digits', () => {
  assert.deepEqual(normalizePhone('anonymous', 'IT'), { raw: 'anonymous', e164: null, digits: '' });
  assert.deepEqual(normalizePhone('12', 'IT'), { raw: '12', e164: null, digits: '12' });
  // A national number without a usable region cannot be placed.
  assert.equal(normalizePhone('347 555 0101', 'XX').e164, null);
  assert.equal(normalizePhone('347 555 0101').digits, '3475550101');
  assert.equal(toE164('anonymous', 'IT'), 'anonymous');
});

test('search variants cover E.164, the national number and the dialled national form', () => {
  assert.deepEqual(phoneSearchVariants('+393475550101'), ['+393475550101', '3475550101']);
  assert.deepEqual(phoneSearchVariants('+14155550123'), ['+14155550123', '4155550123']);
  assert.deepEqual(phoneSearchVariants('+447700900123'), ['+447700900123', '7700900123', '07700900123']);
});

test('samePhone compares normalised numbers', () => {
  assert.ok(samePhone('+39 347 555 0101', '0039 347 5550101', 'IT'));
  assert.ok(samePhone('3475550101', '+393475550101', 'IT'));
  assert.ok(samePhone('(415) 555-0123', '+1 415 555 0123', 'US'));
  assert.ok(!samePhone('(415) 555-0123', '(415) 555-0199', 'US'));
  assert.ok(!samePhone('+39 347 555 0101', '+1 347 555 0101', 'IT'));
  // Too few digits to mean anything: never the same line.
  assert.ok(!samePhone('*31#', '*31#', 'IT'));
});
