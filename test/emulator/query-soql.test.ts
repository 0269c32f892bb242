import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { QueryError, runSoql } from '../../src/emulator/query/index.ts';
import { fixtureSource, ids } from './query-fixture.ts';

const source = fixtureSource();
const ids15 = (records: Array<Record<string, unknown>>) => records.map((record) => record.Id);
const query = (soql: string, now?: Date) => runSoql(soql, source, now ? { now } : {});
const idsOf = (soql: string, now?: Date) => ids15(query(soql, now).records);

function assertQueryError(soql: string, errorCode: string, detail: RegExp | string): QueryError {
  let caught: unknown;
  try {
    query(soql);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof QueryError, `expected a QueryError from ${soql}`);
  assert.equal(caught.errorCode, errorCode);
  if (typeof detail === 'string') assert.ok(caught.message.includes(detail), caught.message);
  else assert.match(caught.message, detail);
  return caught;
}

describe('SOQL selection', () => {
  test('returns selected fields in canonical casing after attributes, in select order', () => {
    const result = query("select EMAIL, id, firstname from contact where lastname = 'verdi'");
    assert.equal(result.totalSize, 1);
    const [record] = result.records;
    assert.deepEqual(Object.keys(record), ['attributes', 'Email', 'Id', 'FirstName']);
    assert.deepEqual(record, {
      attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${ids.giulia}` },
      Email: 'giulia.verdi@acme.example',
      Id: ids.giulia,
      FirstName: 'Giulia',
    });
  });

  test('returns null for empty fields and only the selected ones', () => {
    const [record] = query(`SELECT Birthdate, MobilePhone FROM Contact WHERE Id = '${ids.john}'`).records;
    assert.deepEqual(Object.keys(record), ['attributes', 'Birthdate', 'MobilePhone']);
    assert.equal(record.Birthdate, null);
    assert.equal(record.MobilePhone, null);
  });

  test('uses the api version the caller asks for in attribute urls', () => {
    const [record] = runSoql('SELECT Id FROM Account LIMIT 1', source, { apiVersion: '59.0' }).records;
    assert.deepEqual(record.attributes, { type: 'Account', url: `/services/data/v59.0/sobjects/Account/${ids.acme}` });
  });

  test('a field selected twice in different casing appears once', () => {
    const [record] = query('SELECT Name, NAME, Account.Name, account.name FROM Contact LIMIT 1').records;
    assert.deepEqual(Object.keys(record), ['attributes', 'Name', 'Account']);
  });

  test('matches ids given in 15 or 18 characters', () => {
    assert.deepEqual(idsOf(`SELECT Id FROM Contact WHERE Id = '${ids.anna.slice(0, 15)}'`), [ids.anna]);
    assert.deepEqual(idsOf(`SELECT Id FROM Contact WHERE AccountId IN ('${ids.acme}')`), [ids.giulia]);
  });
});

describe('SOQL WHERE', () => {
  test('string equality is case-insensitive and honours escaped quotes', () => {
    assert.deepEqual(idsOf("SELECT Id FROM Contact WHERE LastName = 'o\\'brien'"), [ids.anna]);
    assert.deepEqual(idsOf("SELECT Id FROM Contact WHERE firstname = 'JOHN'"), [ids.john]);
  });

  test('!= and <> keep records whose field is null, unlike SQL', () => {
    assert.deepEqual(idsOf("SELECT Id FROM Contact WHERE Email != 'john.smith@globex.example'"), [ids.giulia, ids.anna]);
    assert.deepEqual(idsOf("SELECT Id FROM Contact WHERE Email <> 'john.smith@globex.example'"), [ids.giulia, ids.anna]);
  });

  test('null comparisons find empty and filled fields', () => {
    assert.deepEqual(idsOf('SELECT Id FROM Contact WHERE Email = null'), [ids.anna]);
    assert.deepEqual(idsOf('SELECT Id FROM Contact WHERE Email != NULL'), [ids.giulia, ids.john]);
  });

  test('numeric ranges skip nulls', () => {
    assert.deepEqual(idsOf('SELECT Id FROM Account WHERE NumberOfEmployees > 100'), [ids.acme]);
    assert.deepEqual(idsOf('SELECT Id FROM Account WHERE NumberOfEmployees <= 40'), [ids.globex]);
    assert.deepEqual(idsOf('SELECT Id FROM Account WHERE AnnualRevenue >= 0'), [ids.acme]);
    assert.deepEqual(idsOf('SELECT Id FROM Account WHERE AnnualRevenue < 2000000.5'), [ids.acme]);
  });

  test('booleans compare with true and false', () => {
    assert.deepEqual(idsOf('SELECT Id FROM Contact WHERE HasOptedOutOfEmail = TRUE'), [ids.anna]);
    assert.deepEqual(idsOf('SELECT Id FROM Contact WHERE HasOptedOutOfEmail = false'), [ids.giulia, ids.john]);
  });

  test('LIKE uses % and _ wildcards case-insensitively and \\% for a literal percent', () => {
    assert.deepEqual(idsOf("SELECT Id FROM Contact WHERE Name LIKE 'g%'"), [ids.giulia]);
    assert.deepEqual(idsOf("SELECT Id FROM Contact WHERE Name LIKE '%SMITH'"), [ids.john]);
    assert.deepEqual(idsOf("SELECT Id FROM Contact WHERE FirstName LIKE 'J_hn'"), [ids.john]);
    assert.deepEqual(idsOf("SELECT Id FROM Contact WHERE FirstName LIKE 'J_n'"), []);
    assert.deepEqual(idsOf("SELECT Id FROM Contact WHERE Description LIKE '%5\\% discount%'"), [ids.giulia]);
    assert.deepEqual(idsOf("SELECT Id FROM Contact WHERE Email LIKE '%.example'"), [ids.giulia, ids.john]);
  });

  test('IN and NOT IN take lists of literals; NOT IN keeps nulls', () => {
    assert.deepEqual(idsOf("SELECT Id FROM Lead WHERE Status IN ('open - not contacted', 'Closed')"), [ids.paolo]);
    assert.deepEqual(idsOf("SELECT Id FROM Account WHERE Industry NOT IN ('Manufacturing')"), [ids.globex]);
    assert.deepEqual(idsOf('SELECT Id FROM Account WHERE NumberOfEmployees IN (40, 41)'), [ids.globex]);
  });

  test('AND binds tighter than OR; NOT and parentheses change grouping', () => {
    const base = 'SELECT Id FROM Contact WHERE ';
    assert.deepEqual(idsOf(`${base}FirstName = 'John' OR FirstName = 'Anna' AND HasOptedOutOfEmail = false`), [ids.john]);
    assert.deepEqual(idsOf(`${base}(FirstName = 'John' OR FirstName = 'Anna') AND HasOptedOutOfEmail = true`), [ids.anna]);
    assert.deepEqual(idsOf(`${base}NOT FirstName = 'John'`), [ids.giulia, ids.anna]);
    assert.deepEqual(idsOf(`${base}NOT (Email = null OR FirstName LIKE 'G%')`), [ids.john]);
  });

  test('date and datetime literals compare by day and instant', () => {
    assert.deepEqual(idsOf('SELECT Id FROM Contact WHERE Birthdate = 1990-05-01'), [ids.giulia]);
    assert.deepEqual(idsOf('SELECT Id FROM Contact WHERE Birthdate < 1990-01-01'), [ids.anna]);
    assert.deepEqual(idsOf('SELECT Id FROM Contact WHERE CreatedDate > 2026-11-27T15:30:00Z'), [ids.anna]);
    assert.deepEqual(idsOf('SELECT Id FROM Contact WHERE CreatedDate >= 2026-11-27T16:30:00+01:00'), [ids.john, ids.anna]);
    assert.deepEqual(idsOf('SELECT Id FROM Contact WHERE CreatedDate = 2026-11-20T09:00:00.000Z'), [ids.giulia]);
  });

  test('relative date literals follow the clock, in UTC days', () => {
    const now = new Date('2026-11-28T18:00:00Z');
    assert.deepEqual(idsOf('SELECT Id FROM Contact WHERE CreatedDate = TODAY', now), [ids.anna]);
    assert.deepEqual(idsOf('SELECT Id FROM Contact WHERE CreatedDate = YESTERDAY', now), [ids.john]);
    assert.deepEqual(idsOf('SELECT Id FROM Contact WHERE CreatedDate = LAST_N_DAYS:7', now), [ids.john, ids.anna]);
    assert.deepEqual(idsOf('SELECT Id FROM Contact WHERE CreatedDate < LAST_N_DAYS:7', now), [ids.giulia]);
    assert.deepEqual(idsOf('SELECT Id FROM Task WHERE ActivityDate = TODAY', now), [ids.callGiulia]);
    assert.deepEqual(idsOf('SELECT Id FROM Task WHERE ActivityDate < TODAY', now), [ids.callPaolo]);
    assert.deepEqual(idsOf('SELECT Id FROM Contact WHERE CreatedDate = THIS_MONTH', now), [ids.giulia, ids.john, ids.anna]);
  });

  test('filters on parent fields, including polymorphic ones', () => {
    assert.deepEqual(idsOf("SELECT Id FROM Contact WHERE Account.Name LIKE 'acme%'"), [ids.giulia]);
    assert.deepEqual(idsOf("SELECT Id FROM Contact WHERE Account.Owner.Email = 'luca.bianchi@contactco.example'"), [ids.john]);
    assert.deepEqual(idsOf("SELECT Id FROM Task WHERE Who.Type = 'Lead'"), [ids.callPaolo]);
    assert.deepEqual(idsOf("SELECT Id FROM Task WHERE Who.Name = 'giulia verdi' AND CallObject = '1764321300.42'"), [ids.callGiulia]);
  });
});

describe('SOQL ORDER BY, LIMIT and OFFSET', () => {
  test('sorts case-insensitively, ascending by default, on several keys', () => {
    assert.deepEqual(idsOf('SELECT Id FROM Contact ORDER BY FirstName'), [ids.anna, ids.giulia, ids.john]);
    assert.deepEqual(idsOf('SELECT Id FROM Contact ORDER BY OwnerId DESC, Name ASC'), [ids.john, ids.anna, ids.giulia]);
  });

  test('puts nulls first unless NULLS LAST, whatever the direction', () => {
    assert.deepEqual(idsOf('SELECT Id FROM Contact ORDER BY Birthdate'), [ids.john, ids.anna, ids.giulia]);
    assert.deepEqual(idsOf('SELECT Id FROM Contact ORDER BY Birthdate DESC'), [ids.john, ids.giulia, ids.anna]);
    assert.deepEqual(idsOf('SELECT Id FROM Contact ORDER BY Birthdate DESC NULLS LAST'), [ids.giulia, ids.anna, ids.john]);
    assert.deepEqual(idsOf('SELECT Id FROM Contact ORDER BY Birthdate ASC NULLS FIRST'), [ids.john, ids.anna, ids.giulia]);
  });

  test('sorts by parent fields', () => {
    assert.deepEqual(idsOf('SELECT Id FROM Contact ORDER BY Account.Name DESC NULLS LAST'), [ids.john, ids.giulia, ids.anna]);
  });

  test('LIMIT and OFFSET page the sorted rows, and totalSize counts what is returned', () => {
    const page = query('SELECT Id FROM Contact ORDER BY Name LIMIT 2 OFFSET 1');
    assert.deepEqual(ids15(page.records), [ids.giulia, ids.john]);
    assert.equal(page.totalSize, 2);
    assert.deepEqual(idsOf('SELECT Id FROM Contact LIMIT 0'), []);
  });
});

describe('SOQL relationships', () => {
  test('nests parents one and two levels up, or null when the lookup is empty', () => {
    const records = query(
      'SELECT Id, Account.Name, Account.Owner.Email, Owner.Name FROM Contact WHERE FirstName IN (\'Giulia\', \'Anna\')',
    ).records;
    assert.deepEqual(records[0].Account, {
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ids.acme}` },
      Name: 'Acme Italia',
      Owner: {
        attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${ids.marta}` },
        Email: 'marta.rossi@contactco.example',
      },
    });
    assert.equal(records[1].Account, null);
    assert.deepEqual(records[1].Owner, {
      attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${ids.marta}` },
      Name: 'Marta Rossi',
    });
  });

  test('polymorphic lookups answer with the Name pseudo-type and the real record url', () => {
    const records = query('SELECT Who.Name, Who.Type, What.Name, Owner.Email FROM Task ORDER BY CallObject NULLS LAST').records;
    assert.deepEqual(records[0].Who, {
      attributes: { type: 'Name', url: `/services/data/v62.0/sobjects/Contact/${ids.giulia}` },
      Name: 'Giulia Verdi',
      Type: 'Contact',
    });
    assert.deepEqual(records[1].Who, {
      attributes: { type: 'Name', url: `/services/data/v62.0/sobjects/Lead/${ids.paolo}` },
      Name: 'Paolo Neri',
      Type: 'Lead',
    });
    assert.equal(records[1].What, null);
    assert.equal(records[2].Who, null);
    assert.deepEqual((records[2].Owner as Record<string, unknown>).Email, 'marta.rossi@contactco.example');
  });
});

describe('SOQL lookups the describe does not spell out', () => {
  test('a custom lookup without relationshipName is reached through its __r name', () => {
    const [record] = query(`SELECT Referrer__r.Name FROM Contact WHERE Id = '${ids.john}'`).records;
    assert.deepEqual(record.Referrer__r, {
      attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${ids.giulia}` },
      Name: 'Giulia Verdi',
    });
  });

  test('nothing can be reached beyond a polymorphic lookup', () => {
    assertQueryError('SELECT Who.Account.Name FROM Task', 'INVALID_FIELD', "Didn't understand relationship 'Account'");
  });

  test('a source listing its objects resolves custom object names in any casing', () => {
    const notes = [{ Id: 'a0X5g0000000001AAA', Body__c: 'called back' }];
    const custom = {
      describe: (object: string) =>
        object === 'Call_Note__c'
          ? { name: 'Call_Note__c', fields: [{ name: 'Id', type: 'id' }, { name: 'Body__c', type: 'string' }] }
          : undefined,
      records: (object: string) => (object === 'Call_Note__c' ? notes : []),
      objectNames: () => ['Call_Note__c'],
    };
    const [record] = runSoql('select body__c from CALL_NOTE__C', custom).records;
    assert.deepEqual(record, {
      attributes: { type: 'Call_Note__c', url: '/services/data/v62.0/sobjects/Call_Note__c/a0X5g0000000001AAA' },
      Body__c: 'called back',
    });
  });
});

describe('SOQL access clauses', () => {
  test('WITH SECURITY_ENFORCED and FOR VIEW are accepted and change nothing', () => {
    assert.deepEqual(idsOf("SELECT Id FROM Contact WHERE LastName = 'Smith' WITH SECURITY_ENFORCED LIMIT 5"), [ids.john]);
    assert.deepEqual(idsOf("SELECT Id FROM Contact WHERE LastName = 'Smith' FOR VIEW"), [ids.john]);
    assert.deepEqual(idsOf('SELECT Id FROM Contact WITH USER_MODE ORDER BY Name LIMIT 1 FOR UPDATE'), [ids.anna]);
  });
});

describe('SOQL COUNT()', () => {
  test('returns the count as totalSize with no records', () => {
    assert.deepEqual(query('SELECT COUNT() FROM Contact'), { records: [], totalSize: 3 });
    assert.deepEqual(query("SELECT count() FROM Lead WHERE Status LIKE 'Open%'"), { records: [], totalSize: 1 });
  });

  test('must be the only thing selected', () => {
    assertQueryError('SELECT Id, COUNT() FROM Contact', 'MALFORMED_QUERY', 'COUNT() must be the only element');
  });
});

describe('SOQL errors', () => {
  test('an unknown object is INVALID_TYPE, with a caret under its name', () => {
    const error = assertQueryError('SELECT Id FROM Foo', 'INVALID_TYPE', "sObject type 'Foo' is not supported.");
    assert.ok(error.message.startsWith('\nSELECT Id FROM Foo\n               ^\nERROR at Row:1:Column:16\n'));
  });

  test('object names are case-insensitive and come back canonical', () => {
    const [record] = query('SELECT Id FROM CONTACT LIMIT 1').records;
    assert.equal((record.attributes as Record<string, unknown>).type, 'Contact');
  });

  test('an unknown field or relationship is INVALID_FIELD', () => {
    assertQueryError('SELECT Id, Nme FROM Contact', 'INVALID_FIELD', "No such column 'Nme' on entity 'Contact'");
    assertQueryError("SELECT Id FROM Contact WHERE Emial = 'x'", 'INVALID_FIELD', "No such column 'Emial' on entity 'Contact'");
    assertQueryError('SELECT Id FROM Contact ORDER BY Nope', 'INVALID_FIELD', "No such column 'Nope'");
    assertQueryError('SELECT Acount.Name FROM Contact', 'INVALID_FIELD', "Didn't understand relationship 'Acount'");
    assertQueryError('SELECT Account.Nme FROM Contact', 'INVALID_FIELD', "No such column 'Nme' on entity 'Account'");
    assertQueryError('SELECT Who.Company FROM Task', 'INVALID_FIELD', "No such column 'Company' on entity 'Name'");
  });

  test('long text areas can be selected but not filtered or sorted', () => {
    assert.equal(query('SELECT Description FROM Task LIMIT 1').records.length, 1);
    assertQueryError("SELECT Id FROM Task WHERE Description = 'x'", 'INVALID_FIELD', "field 'Description' can not be filtered in query call");
    assertQueryError('SELECT Id FROM Task ORDER BY Description', 'INVALID_FIELD', "field 'Description' can not be sorted in a query call");
  });

  test('a literal of the wrong type names the field and the expected type', () => {
    assertQueryError(
      "SELECT Id FROM Account WHERE NumberOfEmployees = '5'",
      'INVALID_FIELD',
      "value of filter criterion for field 'NumberOfEmployees' must be of type integer and should not be enclosed in quotes",
    );
    assertQueryError(
      'SELECT Id FROM Contact WHERE LastName = 5',
      'INVALID_FIELD',
      "value of filter criterion for field 'LastName' must be of type string and should be enclosed in quotes",
    );
    assertQueryError('SELECT Id FROM Contact WHERE CreatedDate > 2026-11-28', 'INVALID_FIELD', 'must be of type dateTime');
    assertQueryError('SELECT Id FROM Contact WHERE LastName LIKE 5', 'INVALID_FIELD', 'must be of type string');
    assertQueryError("SELECT Id FROM Account WHERE NumberOfEmployees LIKE '5%'", 'INVALID_FIELD', 'LIKE applies to text fields only');
  });

  test('syntax errors are MALFORMED_QUERY naming the unexpected token', () => {
    assertQueryError('SELECT Id FROM Contact WHERE Name =', 'MALFORMED_QUERY', /Row:1:Column:36\nunexpected token: <EOF>$/);
    assertQueryError('SELECT Id Contact', 'MALFORMED_QUERY', "unexpected token: 'Contact'");
    assertQueryError('SELECT FROM Contact', 'MALFORMED_QUERY', "unexpected token: 'FROM'");
    assertQueryError('SELECT Id FROM Contact LIMIT 5 garbage', 'MALFORMED_QUERY', "unexpected token: 'garbage'");
    assertQueryError("SELECT Id FROM Contact WHERE Name = 'open", 'MALFORMED_QUERY', 'unexpected token: <EOF>');
    assertQueryError('SELECT Id FROM Contact WHERE (Name = null', 'MALFORMED_QUERY', 'unexpected token: <EOF>');
    assertQueryError('SELECT Id FROM Contact WHERE Name IN ()', 'MALFORMED_QUERY', "unexpected token: ')'");
    assertQueryError('SELECT Id FROM Contact LIMIT -1', 'MALFORMED_QUERY', "unexpected token: '-1'");
    assertQueryError('SELECT Id FROM Contact WHERE Name = @x', 'MALFORMED_QUERY', "unexpected token: '@'");
  });
});
