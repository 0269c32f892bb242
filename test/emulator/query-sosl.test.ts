import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { phoneNumbersMatch, QueryError, runSosl } from '../../src/emulator/query/index.ts';
import { fixtureSource, ids } from './query-fixture.ts';

const source = fixtureSource();
const search = (sosl: string) => runSosl(sosl, source).searchRecords;
const found = (sosl: string) => search(sosl).map((record) => record.Id);

function assertSearchError(sosl: string, errorCode: string, detail: string): void {
  let caught: unknown;
  try {
    search(sosl);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof QueryError, `expected a QueryError from ${sosl}`);
  assert.equal(caught.errorCode, errorCode);
  assert.ok(caught.message.includes(detail), caught.message);
}

describe('phone number matching', () => {
  const matches: Array<[string, string]> = [
    ['+39 347 555 0101', '3475550101'],
    ['+39 347 555 0101', '+393475550101'],
    ['+39 347 555 0101', '00393475550101'],
    ['+39 347 555 0101', '393475550101'],
    ['(415) 555-0123', '4155550123'],
    ['(415) 555-0123', '+14155550123'],
    ['(415) 555-0123', '1-415-555-0123'],
    ['(415) 555-0123', '011 1 415 555 0123'],
    ['020 7946 0018', '+44 20 7946 0018'],
    ['+44 (0)20 7946 0018', '+442079460018'],
    ['07700 900123', '7700900123'],
    ['1234', '1234'],
  ];
  for (const [stored, term] of matches) {
    test(`"${term}" finds "${stored}" and the other way round`, () => {
      assert.equal(phoneNumbersMatch(term, stored), true);
      assert.equal(phoneNumbersMatch(stored, term), true);
    });
  }

  const different: Array<[string, string, string]> = [
    ['+39 347 555 0101', '+39 347 555 0102', 'last digit differs'],
    ['+39 347 555 0101', '5550101', 'only seven trailing digits shared; "39347" is no calling code'],
    ['+39 347 555 0101', '0101', 'too few digits'],
    ['(415) 555-0123', '(212) 555-0123', 'same exchange and line, other area code'],
    ['+39 347 555 0101', '+1 347 555 0101', 'same national number in two countries'],
    ['3475550101', '93475550101', '"9" is no calling code'],
    ['+39 347 555 0101', '', 'empty term'],
    ['call me', 'maybe', 'no digits at all'],
  ];
  for (const [stored, term, why] of different) {
    test(`"${term}" does not find "${stored}" (${why})`, () => {
      assert.equal(phoneNumbersMatch(term, stored), false);
      assert.equal(phoneNumbersMatch(stored, term), false);
    });
  }
});

describe('SOSL IN PHONE FIELDS', () => {
  test('an OR list of quoted numbers finds every object in RETURNING order with the asked fields', () => {
    const records = search(
      'FIND {"+393475550101" OR "4155550123"} IN PHONE FIELDS RETURNING Contact(Id, Name, Phone), Lead(Id, Name, Phone)',
    );
    assert.deepEqual(records, [
      {
        attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${ids.giulia}` },
        Id: ids.giulia,
        Name: 'Giulia Verdi',
        Phone: '+39 347 555 0101',
      },
      {
        attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${ids.john}` },
        Id: ids.john,
        Name: 'John Smith',
        Phone: '(415) 555-0123',
      },
      {
        attributes: { type: 'Lead', url: `/services/data/v62.0/sobjects/Lead/${ids.paolo}` },
        Id: ids.paolo,
        Name: 'Paolo Neri',
        Phone: '3475550101',
      },
    ]);
  });

  test('searches every phone field, not only Phone', () => {
    assert.deepEqual(found('FIND {"+39 347 555 0102"} IN PHONE FIELDS RETURNING Contact(Id)'), [ids.anna]);
    assert.deepEqual(found('FIND {"+44 20 7946 0018"} IN PHONE FIELDS RETURNING Contact(Id), Lead(Id)'), [ids.anna]);
    assert.deepEqual(found('FIND {"+39 02 1234 5678"} IN PHONE FIELDS RETURNING Account(Id), Contact(Id)'), [ids.acme]);
  });

  test('international access codes and escaped reserved characters are understood', () => {
    assert.deepEqual(found('FIND {00393475550101} IN PHONE FIELDS RETURNING Contact(Id), Lead(Id)'), [ids.giulia, ids.paolo]);
    assert.deepEqual(found('FIND {\\+393475550101} IN PHONE FIELDS RETURNING Contact(Id)'), [ids.giulia]);
    assert.deepEqual(found('FIND {\\(415\\) 555\\-0123} IN PHONE FIELDS RETURNING Contact(Id)'), [ids.john]);
    assert.deepEqual(found('FIND {\\+39 347 555 0101} IN PHONE FIELDS RETURNING Contact(Id)'), [ids.giulia]);
  });

  test('numbers sharing only trailing digits are not found', () => {
    assert.deepEqual(found('FIND {"5550101"} IN PHONE FIELDS RETURNING Contact(Id), Lead(Id)'), []);
    assert.deepEqual(found('FIND {"+393475550103"} IN PHONE FIELDS RETURNING Contact(Id), Lead(Id)'), []);
    assert.deepEqual(found('FIND {"2125550123"} IN PHONE FIELDS RETURNING Contact(Id)'), []);
  });

  test('phone scope ignores names and emails', () => {
    assert.deepEqual(found('FIND {Giulia} IN PHONE FIELDS RETURNING Contact(Id)'), []);
  });

  test('a trailing * matches any digits, with or without the country code', () => {
    assert.deepEqual(found('FIND {347555*} IN PHONE FIELDS RETURNING Contact(Id), Lead(Id)'), [ids.giulia, ids.anna, ids.paolo]);
    assert.deepEqual(found('FIND {39347555010*} IN PHONE FIELDS RETURNING Contact(Id)'), [ids.giulia, ids.anna]);
    assert.deepEqual(found('FIND {415555012?} IN PHONE FIELDS RETURNING Contact(Id)'), [ids.john]);
  });
});

describe('SOSL IN EMAIL FIELDS', () => {
  test('finds a whole address case-insensitively', () => {
    assert.deepEqual(found('FIND {JOHN.SMITH@globex.example} IN EMAIL FIELDS RETURNING Contact(Id), Lead(Id)'), [ids.john]);
    assert.deepEqual(found('FIND {"paolo@neri.example"} IN EMAIL FIELDS RETURNING Contact(Id), Lead(Id)'), [ids.paolo]);
  });

  test('finds addresses by one of their words, and nothing outside email fields', () => {
    assert.deepEqual(found('FIND {globex} IN EMAIL FIELDS RETURNING Contact(Id), Account(Id)'), [ids.john]);
    assert.deepEqual(found('FIND {Anna} IN EMAIL FIELDS RETURNING Contact(Id)'), []);
    assert.deepEqual(found('FIND {john.smith@globex.other} IN EMAIL FIELDS RETURNING Contact(Id)'), []);
  });
});

describe('SOSL ALL and NAME FIELDS', () => {
  test('ALL FIELDS (the default) matches words in any text field, phone numbers included', () => {
    assert.deepEqual(found('FIND {acme} RETURNING Account(Id), Contact(Id)'), [ids.acme, ids.giulia]);
    assert.deepEqual(found('FIND {"4155550123"} IN ALL FIELDS RETURNING Contact(Id)'), [ids.john]);
    assert.deepEqual(found('FIND {Neri} IN ALL FIELDS RETURNING Lead(Id)'), [ids.paolo]);
  });

  test('NAME FIELDS leaves out emails and company names', () => {
    assert.deepEqual(found('FIND {Rossi} IN NAME FIELDS RETURNING User(Id), Contact(Id)'), [ids.marta]);
    assert.deepEqual(found('FIND {acme} IN NAME FIELDS RETURNING Contact(Id)'), []);
    assert.deepEqual(found('FIND {Srl} IN NAME FIELDS RETURNING Lead(Id)'), []);
  });

  test("NAME FIELDS also searches the object's own name field from the describe", () => {
    assert.deepEqual(found('FIND {follow} IN NAME FIELDS RETURNING Task(Id)'), [ids.orphanTask]);
    assert.deepEqual(found('FIND {1764321300.42} IN NAME FIELDS RETURNING Task(Id)'), []);
  });

  test('words combine with implicit AND, AND NOT, OR and parentheses', () => {
    assert.deepEqual(found('FIND {John Smith} RETURNING Contact(Id)'), [ids.john]);
    assert.deepEqual(found('FIND {John Verdi} RETURNING Contact(Id)'), []);
    assert.deepEqual(found('FIND {"Giulia Verdi" OR Anna} RETURNING Contact(Id)'), [ids.giulia, ids.anna]);
    assert.deepEqual(found('FIND {example AND NOT globex} RETURNING Contact(Id)'), [ids.giulia]);
    assert.deepEqual(found('FIND {(Anna OR John) AND smith} RETURNING Contact(Id)'), [ids.john]);
  });

  test('a phrase must appear as consecutive words', () => {
    assert.deepEqual(found('FIND {"Smith John"} RETURNING Contact(Id)'), []);
  });

  test('wildcards match inside a word; escaped reserved characters are plain text', () => {
    assert.deepEqual(found('FIND {Giu*} RETURNING Contact(Id)'), [ids.giulia]);
    assert.deepEqual(found('FIND {J?hn} RETURNING Contact(Id)'), [ids.john]);
    assert.deepEqual(found("FIND {O\\'Brien} RETURNING Contact(Id)"), [ids.anna]);
  });

  test('without RETURNING, the standard objects are searched and only Id is returned', () => {
    const records = search('FIND {Neri}');
    assert.deepEqual(records, [{ attributes: { type: 'Lead', url: `/services/data/v62.0/sobjects/Lead/${ids.paolo}` }, Id: ids.paolo }]);
  });
});

describe('SOSL RETURNING clauses', () => {
  test('an object without a field list returns only Id', () => {
    assert.deepEqual(search('FIND {Globex} RETURNING Account'), [
      { attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ids.globex}` }, Id: ids.globex },
    ]);
  });

  test('each object has its own WHERE, ORDER BY and LIMIT, and parent fields nest', () => {
    const records = search(
      "FIND {example} RETURNING Contact(Name, Account.Name WHERE Email LIKE '%acme%' OR Email LIKE '%globex%' ORDER BY Name DESC LIMIT 1), Lead(Name ORDER BY Name)",
    );
    assert.deepEqual(
      records.map((record) => record.Name),
      ['John Smith', 'Paolo Neri', 'Sara Blu'],
    );
    assert.deepEqual((records[0].Account as Record<string, unknown>).Name, 'Globex');
  });

  test('the overall LIMIT caps rows across objects', () => {
    assert.deepEqual(found('FIND {example} RETURNING Contact(Id), Lead(Id) LIMIT 3'), [ids.giulia, ids.john, ids.paolo]);
  });

  test('keywords and object names are case-insensitive', () => {
    assert.deepEqual(found('find {Globex} in all fields returning account(id) limit 5'), [ids.globex]);
  });
});

describe('SOSL errors', () => {
  test('a one-character term is MALFORMED_SEARCH', () => {
    assertSearchError('FIND {a}', 'MALFORMED_SEARCH', 'search term must be longer than one character');
    assertSearchError('FIND {x*} RETURNING Contact', 'MALFORMED_SEARCH', 'search term must be longer than one character');
    assertSearchError('FIND {}', 'MALFORMED_SEARCH', 'search term must be longer than one character');
  });

  test('a term outside braces is MALFORMED_SEARCH', () => {
    assertSearchError("FIND 'Smith'", 'MALFORMED_SEARCH', 'The search term must be enclosed in braces');
    assertSearchError('FIND {Smith', 'MALFORMED_SEARCH', 'The search term must be enclosed in braces');
  });

  test('bad clauses are MALFORMED_SEARCH naming the token', () => {
    assertSearchError('FIND {Smith} IN WEIRD FIELDS', 'MALFORMED_SEARCH', "unexpected token: 'WEIRD'");
    assertSearchError('FIND {Smith} RETURNING Contact(Id', 'MALFORMED_SEARCH', 'unexpected token: <EOF>');
    assertSearchError('FIND {(Smith} RETURNING Contact', 'MALFORMED_SEARCH', 'Invalid search term');
  });

  test('unknown objects and fields in RETURNING are INVALID_TYPE and INVALID_FIELD', () => {
    assertSearchError('FIND {Smith} RETURNING Foo(Id)', 'INVALID_TYPE', "sObject type 'Foo' is not supported.");
    assertSearchError('FIND {Smith} RETURNING Contact(Nme)', 'INVALID_FIELD', "No such column 'Nme' on entity 'Contact'");
  });
});
