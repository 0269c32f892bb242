import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSearches, escapeSoslTerm, indexSearchRecords, lookupKey, LookupCache, MAX_FIND_CHARS, pickMatch, type SearchPlanFields } from '../../src/salesforce/lookup.ts';

const fields: SearchPlanFields[] = [
  { object: 'Contact', matchFields: ['Phone', 'MobilePhone'], extraFields: ['Name', 'LastModifiedDate', 'AccountId'] },
  { object: 'Lead', matchFields: ['Phone'], extraFields: ['Name', 'LastModifiedDate'], where: 'IsConverted = false' },
];

test('numbers in any format meet on one E.164 key', () => {
  assert.equal(lookupKey('phone', '+39 347 555 0101', 'US')?.key, '+393475550101');
  assert.equal(lookupKey('phone', '0039 347 5550101', 'US')?.key, '+393475550101');
  assert.equal(lookupKey('phone', '(415) 555-0123', 'US')?.key, '+14155550123');
  assert.equal(lookupKey('email', ' Anna.Ferrari@ACME.example ', 'US')?.key, 'anna.ferrari@acme.example');
  assert.equal(lookupKey('phone', '12', 'US'), null);
});

test('SOSL terms are quoted and reserved characters escaped', () => {
  assert.equal(escapeSoslTerm('+39347'), '"\\+39347"');
  assert.equal(escapeSoslTerm('a-b@x.it'), '"a\\-b@x.it"');
});

test('many numbers share one search, split only at the FIND length limit', () => {
  const keys = Array.from({ length: 40 }, (_, i) => lookupKey('phone', `+39 347 555 ${String(1000 + i)}`, 'IT')!);
  const searches = buildSearches('phone', keys, fields);
  assert.equal(searches.length, 1);
  assert.match(searches[0], /^FIND \{.*\} IN PHONE FIELDS RETURNING Contact\(Id, Name, LastModifiedDate, AccountId, Phone, MobilePhone\), Lead\(Id, Name, LastModifiedDate, Phone WHERE IsConverted = false\)$/);
  const many = Array.from({ length: 400 }, (_, i) => lookupKey('phone', `+39 347 555 ${String(1000 + i)}`, 'IT')!);
  const split = buildSearches('phone', many, fields);
  assert.ok(split.length > 1);
  for (const sosl of split) assert.ok(/^FIND \{(.*)\} IN/.exec(sosl)![1].length <= MAX_FIND_CHARS);
  const terms = split.join(' ').match(/\\\+39347555\d{4}/g) ?? [];
  assert.equal(new Set(terms).size, 400, 'every number is searched once');
});

test('search results are matched back to each number by its normalised form', () => {
  const records = [
    { attributes: { type: 'Contact' }, Id: '003A', Name: 'Anna', Phone: '+39 347 555 0101', LastModifiedDate: '2026-01-01T00:00:00.000+0000' },
    { attributes: { type: 'Lead' }, Id: '00QB', Name: 'Mark', Phone: '415-555-0123', LastModifiedDate: '2026-06-01T00:00:00.000+0000' },
    { attributes: { type: 'Contact' }, Id: '003C', Name: 'John', MobilePhone: '(415) 555-0123', LastModifiedDate: '2026-02-01T00:00:00.000+0000', AccountId: '001X' },
  ];
  const index = indexSearchRecords('phone', records, fields, 'US');
  assert.deepEqual(index.get('+393475550101')?.map((m) => m.id), ['003A']);
  const both = index.get('+14155550123')!;
  assert.deepEqual(both.map((m) => m.id).sort(), ['003C', '00QB']);
  assert.equal(pickMatch(both, 'mostRecent')?.id, '00QB');
  assert.equal(pickMatch(both, 'preferContact')?.id, '003C');
  assert.equal(pickMatch(both, 'none'), null);
  assert.equal(pickMatch(both, 'preferContact')?.accountId, '001X');
});

test('the cache expires entries and remembers what ctibridge created', () => {
  let now = 0;
  const cache = new LookupCache(1000, 2, () => now);
  cache.set('phone', '+1', []);
  assert.deepEqual(cache.get('phone', '+1'), []);
  cache.remember('phone', '+1', { id: '00Q1', object: 'Lead', name: 'New', lastModified: null, accountId: null });
  assert.equal(cache.get('phone', '+1')?.[0].id, '00Q1');
  now = 1500;
  assert.equal(cache.get('phone', '+1'), undefined);
  cache.set('phone', 'a', []);
  cache.set('phone', 'b', []);
  cache.set('phone', 'c', []);
  assert.equal(cache.get('phone', 'a'), undefined, 'the oldest entry gives way past the size cap');
});
