/**
 * Before any load: the three servers must give the same answers (same users, same field values,
 * same order and counts) to a sample of every request kind, or the comparison means nothing.
 */
import { isDeepStrictEqual } from 'node:util';
import { dialectOf, type CanonicalAnswer, type KindKey, type RequestKind, type Sample, type ServerName } from './requests.ts';

export interface Agreement {
  readonly kind: KindKey;
  /** Requests sent to every server. */
  readonly requests: number;
  /** Users in usergraph's answers to them (a check of nothing but nulls would prove nothing). */
  readonly users: number;
  readonly agreed: boolean;
  /** The first difference, when they did not agree. */
  readonly difference?: string;
}

export interface AgreementTarget {
  readonly name: ServerName;
  readonly url: string;
}

export async function checkAgreement(
  servers: readonly AgreementTarget[],
  kinds: readonly RequestKind[],
  sample: Sample,
  headers: Readonly<Record<string, string>>,
): Promise<Agreement[]> {
  const reference = servers.find((server) => server.name === 'usergraph')!;
  const results: Agreement[] = [];
  for (const kind of kinds) {
    const requests = kind.requests(sample).slice(0, kind.checked);
    let users = 0;
    let difference: string | undefined;
    for (const request of requests) {
      const answers = new Map<ServerName, CanonicalAnswer>();
      for (const server of servers) {
        const dialect = dialectOf(server.name);
        try {
          answers.set(server.name, request.canonical(dialect, await post(server.url, request.body[dialect], headers)));
        } catch (error) {
          difference ??= `${server.name}: ${(error as Error).message}`;
        }
      }
      const expected = answers.get(reference.name);
      if (!expected) break;
      users += expected.users.filter((user) => user !== null).length;
      for (const [name, answer] of answers) {
        if (name !== reference.name && !isDeepStrictEqual(answer, expected)) difference ??= describe(reference.name, expected, name, answer);
      }
      if (difference) break;
    }
    if (users === 0) difference ??= 'usergraph found no users at all: the sample names nobody';
    results.push({ kind: kind.key, requests: requests.length, users, agreed: difference === undefined, ...(difference ? { difference } : {}) });
  }
  return results;
}

async function post(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<unknown> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 600)}`);
  return JSON.parse(text);
}

function describe(aName: string, a: CanonicalAnswer, bName: string, b: CanonicalAnswer): string {
  if (a.totalCount !== b.totalCount || a.hasNextPage !== b.hasNextPage) {
    return `${aName}: totalCount ${a.totalCount}, hasNextPage ${a.hasNextPage}; ${bName}: totalCount ${b.totalCount}, hasNextPage ${b.hasNextPage}`;
  }
  if (a.users.length !== b.users.length) return `${aName} answered ${a.users.length} users, ${bName} ${b.users.length}`;
  const at = a.users.findIndex((user, i) => !isDeepStrictEqual(user, b.users[i]));
  const [userA, userB] = [a.users[at], b.users[at]];
  const fields =
    userA && userB
      ? Object.keys(userA)
          .filter((field) => !isDeepStrictEqual(userA[field as keyof typeof userA], userB[field as keyof typeof userB]))
          .map((field) => `${field} ${JSON.stringify(userA[field as keyof typeof userA])} vs ${JSON.stringify(userB[field as keyof typeof userB])}`)
          .join(', ')
      : `${userA ? 'a user' : 'null'} vs ${userB ? 'a user' : 'null'}`;
  return `${aName} vs ${bName}, user #${at}: ${fields}\n  ${aName}: ${JSON.stringify(userA)}\n  ${bName}: ${JSON.stringify(userB)}`;
}
