import { describe, expect, it } from 'vitest';
import { AnswerTexts } from '../../src/http/answer-texts.ts';

describe('AnswerTexts', () => {
  const selection = {};
  const other = {};

  it('finds a text by the object and the selection that wrote it, and nothing else', () => {
    const texts = new AnswerTexts(10);
    const user = {};
    texts.set(selection, user, '{"id":"1"}');
    expect(texts.get(selection, user)).toBe('{"id":"1"}');
    expect(texts.get(other, user)).toBeUndefined();
    expect(texts.get(selection, {})).toBeUndefined();
    texts.set(other, user, '{"email":null}');
    expect(texts.get(selection, user)).toBe('{"id":"1"}');
    expect(texts.get(other, user)).toBe('{"email":null}');
  });

  it('holds at most two generations, keeping what is asked again', () => {
    const texts = new AnswerTexts(3);
    const users = Array.from({ length: 10 }, () => ({}));
    users.slice(0, 3).forEach((user, i) => texts.set(selection, user, String(i)));
    texts.set(selection, users[3]!, '3'); // the first three become the old generation
    expect(texts.get(selection, users[0]!)).toBe('0'); // asked again: young again
    users.slice(4, 10).forEach((user, i) => texts.set(selection, user, String(i + 4)));
    expect(texts.size).toBeLessThanOrEqual(6);
    expect(texts.get(selection, users[1]!)).toBeUndefined(); // never asked again: gone
    expect(texts.get(selection, users[9]!)).toBe('9');
  });

  it('keeps a bounded number of selections per object', () => {
    const texts = new AnswerTexts(10);
    const user = {};
    const selections = Array.from({ length: 6 }, () => ({}));
    selections.forEach((each, i) => texts.set(each, user, String(i)));
    expect(texts.get(selections[5]!, user)).toBe('5');
    expect(texts.get(selections[0]!, user)).toBeUndefined();
    expect(selections.filter((each) => texts.get(each, user) !== undefined)).toHaveLength(4);
  });

  it('keeps nothing with no room', () => {
    const texts = new AnswerTexts(0);
    texts.set(selection, {}, 'x');
    expect(texts.size).toBe(0);
  });
});
