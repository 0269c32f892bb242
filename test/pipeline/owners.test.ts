import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OwnerDirectory } from '../../src/pipeline/owners.ts';
import type { OrgApi } from '../../src/pipeline/org-api.ts';

function orgWith(users: Array<{ Id: string; Email: string; Username: string }>, queries: string[]): OrgApi {
  return {
    query: async <T,>(soql: string) => {
      queries.push(soql);
      return users.filter((u) => soql.includes(`'${u.Email}'`) || soql.includes(`'${u.Username}'`)) as unknown as T[];
    },
  } as OrgApi;
}

const users = [
  { Id: '005A', Username: 'marta.rossi@contactco.example.uat', Email: 'marta.rossi@contactco.example' },
  { Id: '005B', Username: 'marta.rossi@contactco.example', Email: 'marta.rossi@contactco.example' },
  { Id: '005C', Username: 'luca@contactco.example', Email: 'luca.bianchi@contactco.example' },
];

test('many agents are resolved with one query, then from the cache, misses included', async () => {
  const queries: string[] = [];
  let now = 0;
  const owners = new OwnerDirectory(orgWith(users, queries), 1000, () => ({}), () => now);
  await owners.prefetch(['Marta.Rossi@contactco.example', 'luca.bianchi@contactco.example', 'nobody@x.it']);
  assert.equal(queries.length, 1);
  assert.equal(await owners.resolve('marta.rossi@contactco.example'), '005B', 'a username equal to the email wins');
  assert.equal(await owners.resolve('luca.bianchi@contactco.example'), '005C');
  assert.equal(await owners.resolve('nobody@x.it'), null);
  assert.equal(queries.length, 1);
  now = 1001;
  await owners.resolve('luca.bianchi@contactco.example');
  assert.equal(queries.length, 2, 'asked again after the TTL');
});

test("the admin's manual map overrides the match by email", async () => {
  const queries: string[] = [];
  const owners = new OwnerDirectory(orgWith(users, queries), 1000, () => ({ 'luca.bianchi@contactco.example': '005Z' }));
  assert.equal(await owners.resolve('Luca.Bianchi@contactco.example'), '005Z');
  assert.equal(queries.length, 0);
});

test('without a cache (the naive baseline) every record asks again', async () => {
  const queries: string[] = [];
  const owners = new OwnerDirectory(orgWith(users, queries), 0);
  await owners.resolve('luca.bianchi@contactco.example');
  await owners.resolve('luca.bianchi@contactco.example');
  assert.equal(queries.length, 2);
});
