/**
 * Python's json error messages, reproduced for text JSON.parse refuses. The
 * expected strings are what CPython 3.11's json.loads raised for each text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pythonJsonError } from '../../explain/pyjson.js';

const CASES: Array<[string, string | undefined]> = [
  ['', 'Expecting value: line 1 column 1 (char 0)'],
  ['{', 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
  ['{"a"', "Expecting ':' delimiter: line 1 column 5 (char 4)"],
  ['{"a":', 'Expecting value: line 1 column 6 (char 5)'],
  ['{"a":1', "Expecting ',' delimiter: line 1 column 7 (char 6)"],
  ['{"a":1,}', 'Expecting property name enclosed in double quotes: line 1 column 8 (char 7)'],
  ["{'a':1}", 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
  ['{"a":1}x', 'Extra data: line 1 column 8 (char 7)'],
  ['[1,]', 'Expecting value: line 1 column 4 (char 3)'],
  ['[1 2]', "Expecting ',' delimiter: line 1 column 4 (char 3)"],
  ['{"a":"b\nc"}', 'Invalid control character at: line 1 column 8 (char 7)'],
  ['{"a":"\\x"}', 'Invalid \\escape: line 1 column 7 (char 6)'],
  ['{"a":"\\u12G4"}', 'Invalid \\uXXXX escape: line 1 column 8 (char 7)'],
  ['{"a":"unterminated', 'Unterminated string starting at: line 1 column 6 (char 5)'],
  ['{"é":tru}', 'Expecting value: line 1 column 6 (char 5)'],
  ['{"😀":1,"b" :x}', 'Expecting value: line 1 column 13 (char 12)'],
  ['{"a":01}', "Expecting ',' delimiter: line 1 column 7 (char 6)"],
  ['\n\n {"a":\n x}', 'Expecting value: line 4 column 2 (char 10)'],
  ['{"a":NaN}', undefined],
  ['{"a":-Infinity}', undefined],
];

describe("Python's json errors", () => {
  for (const [text, expected] of CASES) {
    it(`${JSON.stringify(text)} → ${expected ?? 'accepted by Python'}`, () => {
      assert.equal(pythonJsonError(text), expected);
    });
  }
});
